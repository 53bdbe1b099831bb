import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Req } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import type { Request } from 'express';
import {
  ANY_API_KEY_SCOPE,
  ApiKeyScope,
  CurrentPrincipal,
  Public,
  SkipRateLimit,
} from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { VerifiedSessions, VerifiedUser } from './verified-sessions.service';

interface VerifyResponse {
  data: { user: VerifiedUser };
  meta: { timestamp: string; request_id: string };
}

/** The REST side of VERIFIED sessions, called by third-party tools (paths fixed by the contract). */
@Controller('api/v1/sessions')
export class VerifiedSessionsController {
  constructor(private readonly sessions: VerifiedSessions) {}

  /**
   * Authenticated by the VERIFIED code itself, not by the bearer guard. Not limited per IP: the
   * callers are tools' servers verifying many people's codes from a few addresses, and a code of
   * 192 random bits cannot be guessed at any rate.
   */
  @Public()
  @SkipRateLimit()
  @Get('verify')
  async verify(@Req() req: Request): Promise<VerifyResponse> {
    const match = /^Bearer\s+(VERIFIED-\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new DomainError('UNAUTHENTICATED', 'Send the code as Authorization: Bearer VERIFIED-…');
    const user = await this.sessions.verify(match[1]);
    return { data: { user }, meta: { timestamp: new Date().toISOString(), request_id: String(req.id) } };
  }

  /** By the session's user (access token or any of their API keys) or an administrator. */
  @Delete(':token')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiKeyScope(ANY_API_KEY_SCOPE)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('token') token: string): Promise<void> {
    await this.sessions.revokeByCode(principal, token);
  }
}
