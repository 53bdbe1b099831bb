import { Injectable } from '@nestjs/common';
import { DomainError, User, UserRepository } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../application/audit-log.service';
import { SessionTokens } from '../application/session-tokens.service';
import { AuthStateCache } from '../auth/auth-state.cache';
import { VerifiedSessions } from '../sessions/verified-sessions.service';
import { TwoFactorService } from '../two-factor/two-factor.service';

const DAY_MS = 24 * 60 * 60_000;

/**
 * The owner's side of deleting an account: asking (confirmed like any irreversible change), which
 * stops the account at once, and changing their mind by signing in during the grace period. The
 * erasure itself is AccountErasure's.
 */
@Injectable()
export class AccountDeletions {
  constructor(
    private readonly users: UserRepository,
    private readonly twoFactor: TwoFactorService,
    private readonly authState: AuthStateCache,
    private readonly sessions: SessionTokens,
    private readonly verifiedSessions: VerifiedSessions,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  /** When an account whose deletion was asked for at `requestedAt` is erased. */
  deleteAfter(requestedAt: Date): Date {
    return new Date(requestedAt.getTime() + this.config.identity.accountDeletionGraceDays * DAY_MS);
  }

  /**
   * Every session, refresh token, API key and VERIFIED code stops working with this request (they
   * act only for an account that may act); the account is erased after the grace period. The owner
   * is mailed the date and how to cancel (IdentityMails).
   */
  async request(principal: Principal, proof: { code?: string; password?: string }): Promise<Date> {
    // Only the owner in a signed-in session: not an API key, not a tool holding a VERIFIED code.
    if (principal.via !== 'access_token')
      throw new DomainError('FORBIDDEN', 'Sign in to delete your account');
    const user = await this.users.findById(principal.userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists');
    await this.twoFactor.proveOwner(user, proof);
    const now = new Date();
    user.requestDeletion(now, this.deleteAfter(now));
    await this.users.save(user, user.pullEvents());
    await this.authState.invalidate(user.id);
    await this.sessions.endAllSessions(user.id);
    await this.verifiedSessions.revokeAllForUser(user.id);
    const deleteAfter = this.deleteAfter(user.deletionRequestedAt ?? now);
    await this.audit.record(user.id, 'user.deletion_requested', {
      targetType: 'user',
      targetId: user.id,
      details: { deleteAfter: deleteAfter.toISOString() },
    });
    return deleteAfter;
  }

  /**
   * A completed sign-in (every factor passed) during the grace period keeps the account: it works
   * again, API keys included, and the owner is mailed that the deletion was cancelled.
   */
  async cancelOnSignIn(user: User): Promise<void> {
    if (!user.cancelDeletion(new Date())) return;
    await this.users.save(user, user.pullEvents());
    await this.authState.invalidate(user.id);
    await this.audit.record(user.id, 'user.deletion_cancelled', {
      targetType: 'user',
      targetId: user.id,
      details: { by: 'sign_in' },
    });
  }
}
