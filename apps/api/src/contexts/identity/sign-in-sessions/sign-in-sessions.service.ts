import { Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { LiveSignInSession, RefreshTokenStore } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../application/audit-log.service';
import { SessionTokens } from '../application/session-tokens.service';

export interface ListedSignInSession extends LiveSignInSession {
  current: boolean;
}

/**
 * The caller's sign-in sessions (refresh-token families) in My account → Security: list them, end one
 * (a lost laptop) or every other. Ending one ends its access tokens too, as a sign-out does.
 */
@Injectable()
export class SignInSessions {
  constructor(
    private readonly refreshTokens: RefreshTokenStore,
    private readonly sessions: SessionTokens,
    private readonly audit: AuditLog,
  ) {}

  async list(principal: Principal): Promise<ListedSignInSession[]> {
    const live = await this.refreshTokens.liveSessions(principal.userId, new Date());
    return live.map((session) => ({ ...session, current: session.id === principal.sessionId }));
  }

  /** Someone else's session, an unknown or malformed id and one already ended are all NOT_FOUND. */
  async revoke(principal: Principal, sessionId: string): Promise<void> {
    if (!isUUID(sessionId) || !(await this.sessions.endOwnSession(principal.userId, sessionId))) {
      throw DomainError.notFound('Sign-in session');
    }
    await this.audit.record(principal.userId, 'user.session_revoked', {
      targetType: 'user',
      targetId: principal.userId,
      details: { sessionId, current: sessionId === principal.sessionId },
    });
  }

  /** Ends every session but the caller's own; returns how many were live. */
  async revokeOthers(principal: Principal): Promise<number> {
    const current = sessionOf(principal);
    const others = (await this.refreshTokens.liveSessions(principal.userId, new Date())).filter((session) => session.id !== current);
    await this.sessions.endAllSessions(principal.userId, current);
    await this.audit.record(principal.userId, 'user.other_sessions_revoked', {
      targetType: 'user',
      targetId: principal.userId,
      details: { count: others.length },
    });
    return others.length;
  }
}

/** Only a signed-in session has a current session to keep (the guard keeps API keys out already). */
function sessionOf(principal: Principal): string {
  if (!principal.sessionId) throw new DomainError('FORBIDDEN', 'Sign in to manage your sessions');
  return principal.sessionId;
}
