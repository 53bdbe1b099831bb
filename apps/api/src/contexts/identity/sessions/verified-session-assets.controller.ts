import { Controller, Get, Header } from '@nestjs/common';
import { Public, SkipRateLimit } from '../../../platform/auth/auth.decorators';
import { VERIFIED_SESSION_SCRIPT } from './verified-session.script';

/** Static files of the VERIFIED code page (see verified-session.page.ts). */
@Public()
@SkipRateLimit()
@Controller('auth/assets')
export class VerifiedSessionAssetsController {
  @Get('verified-session.js')
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  script(): string {
    return VERIFIED_SESSION_SCRIPT;
  }
}
