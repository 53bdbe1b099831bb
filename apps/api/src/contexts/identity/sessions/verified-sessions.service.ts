import { Inject, Injectable } from '@nestjs/common';
import { can, DomainError, User } from '@sah/domain';
import type { Logger } from 'pino';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { RequestContext } from '../../../platform/http/request-context';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { AuditLog } from '../application/audit-log.service';
import { AuthStateCache } from '../auth/auth-state.cache';
import { VerifiedSession, VerifiedSessionStore } from './verified-session.store';

export interface VerifiedUser {
  id: string;
  email: string;
  name: string;
}

const TARGET = 'verified_session';
const unknownCode = () => new DomainError('NOT_FOUND', 'Unknown session code');

/**
 * VERIFIED-… codes: issued after a Google sign-in started by a third-party tool, verified by that
 * tool, listed and revoked by their user. Logs and audit entries name the session by its id, never
 * by its code.
 */
@Injectable()
export class VerifiedSessions {
  private readonly logger: Logger;

  constructor(
    private readonly store: VerifiedSessionStore,
    private readonly authState: AuthStateCache,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'verified-sessions' });
  }

  async issue(user: User, externalSessionId: string): Promise<{ code: string; session: VerifiedSession }> {
    const issued = await this.store.create(
      { userId: user.id, externalSessionId, profile: { email: user.email.value, name: user.name } },
      this.config.sessions.verifiedTtlSeconds,
    );
    const { session } = issued;
    await this.audit.record(user.id, 'verified_session.created', {
      targetType: TARGET,
      targetId: session.id,
      details: { externalSessionId, expiresAt: session.expiresAt.toISOString() },
    });
    this.log('info', session, 'verified session created');
    return issued;
  }

  /** The hot path: Redis only (the session, the cached account state). */
  async verify(code: string): Promise<VerifiedUser> {
    const session = await this.store.findByCode(code);
    if (!session) throw unknownCode();
    if (session.expiresAt.getTime() <= Date.now()) {
      this.log('info', session, 'expired verified session refused');
      throw new DomainError('UNAUTHENTICATED', 'This session code has expired: sign in again', {
        expired_at: session.expiresAt.toISOString(),
      });
    }
    const state = await this.authState.get(session.userId);
    if (!state?.active) {
      this.log('info', session, 'verified session of an account that cannot sign in refused');
      throw new DomainError('UNAUTHENTICATED', 'This account cannot sign in');
    }
    // The first use is audited; a tool verifying on every call is only logged.
    if (await this.store.markUsed(code)) {
      await this.audit.record(session.userId, 'verified_session.verified', {
        targetType: TARGET,
        targetId: session.id,
      });
      this.log('info', session, 'verified session used for the first time');
    } else {
      this.log('debug', session, 'verified session verified');
    }
    return { id: session.userId, ...session.profile };
  }

  list(principal: Principal): Promise<VerifiedSession[]> {
    return this.store.listForUser(principal.userId);
  }

  /** By the code: its user or an administrator. Anyone else learns nothing, not even that it exists. */
  async revokeByCode(principal: Principal, code: string): Promise<void> {
    const session = await this.store.findByCode(code);
    if (!session || (session.userId !== principal.userId && !can(principal.role, 'users:manage')))
      throw unknownCode();
    await this.revoke(principal, session.userId, session.id);
  }

  /** By the session's id, among the caller's own sessions. */
  async revokeById(principal: Principal, sessionId: string): Promise<void> {
    await this.revoke(principal, principal.userId, sessionId);
  }

  /** After a password reset: whoever held the old password may have handed codes to tools. */
  async revokeAllForUser(userId: string): Promise<void> {
    const count = await this.store.revokeAllForUser(userId);
    if (count === 0) return;
    await this.audit.record(userId, 'verified_session.revoked_all', {
      targetType: 'user',
      targetId: userId,
      details: { count },
    });
    this.logger.info(
      { request_id: RequestContext.current()?.requestId, user_id: userId, count },
      'verified sessions revoked',
    );
  }

  private async revoke(principal: Principal, userId: string, sessionId: string): Promise<void> {
    if (!(await this.store.revoke(userId, sessionId)))
      throw DomainError.notFound('Session', { id: sessionId });
    await this.audit.record(principal.userId, 'verified_session.revoked', {
      targetType: TARGET,
      targetId: sessionId,
      details: { userId },
    });
    this.logger.info(
      {
        request_id: RequestContext.current()?.requestId,
        user_id: userId,
        verified_session_id: sessionId,
        actor_id: principal.userId,
      },
      'verified session revoked',
    );
  }

  private log(level: 'info' | 'debug', session: VerifiedSession, message: string): void {
    this.logger[level](
      {
        request_id: RequestContext.current()?.requestId,
        user_id: session.userId,
        verified_session_id: session.id,
      },
      message,
    );
  }
}
