import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { sendRestError } from '../http/rest-error';
import { Public, SkipRateLimit } from '../auth/auth.decorators';

/**
 * Serves the built console's index.html for every path under /admin that is not a file, so deep
 * links work; the files themselves are served by the static middleware (http-pipeline.ts).
 */
@Public()
@SkipRateLimit()
@Controller('admin')
export class AdminConsoleController {
  private readonly indexFile: string;

  constructor(config: AppConfig) {
    this.indexFile = join(config.adminConsoleDir, 'index.html');
  }

  @Get(['', '{*path}'])
  @Header('Cache-Control', 'no-cache')
  index(@Req() req: Request, @Res() res: Response): void {
    // The console's base href is /admin/: without the slash its relative URLs would miss.
    if (req.path === '/admin') return res.redirect(301, '/admin/');
    if (!existsSync(this.indexFile)) {
      sendRestError(req, res, {
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The admin console is not built: run `npm run build` (npm start does it for you)',
      });
      return;
    }
    res.sendFile(this.indexFile);
  }
}
