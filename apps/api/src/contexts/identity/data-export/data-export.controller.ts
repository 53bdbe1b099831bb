import { Controller, Get, Res } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import type { Response } from 'express';
import { CurrentPrincipal } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { DataExports } from './data-exports.service';

@Controller('api/v1/me')
export class DataExportController {
  constructor(private readonly exports: DataExports) {}

  /** The caller's latest ready export, as a JSON file; 409 while it is prepared, 404 when there is none. */
  @Get('export')
  async download(@CurrentPrincipal() principal: Principal, @Res() res: Response): Promise<void> {
    if (principal.via !== 'access_token') throw new DomainError('FORBIDDEN', 'Sign in to download your data');
    const { export: ready, json } = await this.exports.document(principal.userId);
    const day = ready.requestedAt.toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="smart-ai-hub-export-${day}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(json);
  }
}
