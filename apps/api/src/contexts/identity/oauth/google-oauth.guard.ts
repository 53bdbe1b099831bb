import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, isDomainError } from '@sah/domain';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppConfig } from '../../../config/app-config';
import { RequestContext } from '../../../platform/http/request-context';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { AuditLog } from '../application/audit-log.service';
import { GOOGLE_STRATEGY } from './google.strategy';

// Refusals decided here; those about the account itself are audited by GoogleSignIn.
const PROTOCOL_REFUSALS: readonly unknown[] = ['state', 'access_denied', 'provider'];

/**
 * Runs the Google strategy: on /auth/google it redirects to Google; on the callback it checks the
 * state, exchanges the code and resolves the account (req.user), or refuses with a DomainError
 * whose `reason` the page filter shows. 404 while Google sign-in is not configured.
 */
@Injectable()
export class GoogleOAuthGuard extends AuthGuard(GOOGLE_STRATEGY) {
  constructor(
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.google.client)
      throw new DomainError('NOT_FOUND', 'Google sign-in is not configured on this server');
    const req = context.switchToHttp().getRequest<Request>();
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    // Without a code or an error this is no callback: passport would start another sign-in instead.
    if (req.path.endsWith('/callback') && req.query.code === undefined && req.query.error === undefined) {
      throw new DomainError('BAD_USER_INPUT', 'Google did not send a sign-in result', { reason: 'state' });
    }
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      if (isDomainError(error) && PROTOCOL_REFUSALS.includes(error.details?.reason)) {
        await this.audit.record(null, 'user.google_sign_in_refused', {
          details: { reason: error.details?.reason },
        });
      }
      throw error;
    }
  }

  /** Passport's verdict: the account, or a refusal turned into a DomainError. */
  override handleRequest<TUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (isDomainError(error)) throw error;
    if (error) {
      this.logger.error(
        { err: error, request_id: RequestContext.current()?.requestId },
        'google sign-in failed',
      );
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Google sign-in could not be completed: try again in a moment',
        { reason: 'provider' },
      );
    }
    if (user) return user;
    if (context.switchToHttp().getRequest<Request>().query.error === 'access_denied') {
      throw new DomainError('FORBIDDEN', 'You did not allow Smart AI Hub to use your Google account', {
        reason: 'access_denied',
      });
    }
    throw new DomainError('BAD_USER_INPUT', messageOf(info) ?? 'This sign-in could not be checked', {
      reason: 'state',
    });
  }
}

function messageOf(info: unknown): string | undefined {
  return typeof info === 'object' && info !== null && 'message' in info && typeof info.message === 'string'
    ? info.message
    : undefined;
}
