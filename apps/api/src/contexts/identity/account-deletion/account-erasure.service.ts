import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError, outranks } from '@sah/domain';
import { AccountErasureStore } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { AppConfig } from '../../../config/app-config';
import { RetentionPurges } from '../../../maintenance/retention-purges';
import type { Principal } from '../../../platform/auth/principal';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { AuditLog } from '../application/audit-log.service';
import { UserAdminService } from '../application/user-admin.service';
import { AuthStateCache } from '../auth/auth-state.cache';
import { VerifiedSessions } from '../sessions/verified-sessions.service';
import { AccountErasers } from './account-erasers';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Erases accounts whose grace period has passed (the maintenance job, a batch per run) or that an
 * administrator processes at once. Every context forgets its part first, identity last, so an
 * erasure that fails half way leaves the account in place to be finished on the next run. What must
 * stay (ledger entries, audit entries) stays under the user's id, which nothing ties to a person any
 * more: a pseudonym.
 */
@Injectable()
export class AccountErasure implements OnModuleInit {
  constructor(
    private readonly purges: RetentionPurges,
    private readonly erasers: AccountErasers,
    private readonly store: AccountErasureStore,
    private readonly admin: UserAdminService,
    private readonly authState: AuthStateCache,
    private readonly verifiedSessions: VerifiedSessions,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.purges.register('deletedAccounts', (now, batchSize) => this.eraseDue(now, batchSize));
  }

  /** Accounts whose deletion was asked for a grace period before `now`, up to `batchSize` of them. */
  async eraseDue(now: Date, batchSize: number): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.identity.accountDeletionGraceDays * DAY_MS);
    let erased = 0;
    for (const userId of await this.store.dueBefore(cutoff, batchSize)) {
      try {
        if (await this.erase(userId, cutoff, null)) erased += 1;
      } catch (error) {
        // One account's trouble (a media file store away) must not hold up the others.
        this.logger.warn(
          { err: error, user_id: userId },
          'account erasure failed; the next maintenance run tries again',
        );
      }
    }
    return erased;
  }

  /** An administrator erases an account whose owner asked for deletion, without waiting. Audited. */
  async processNow(principal: Principal, userId: string): Promise<void> {
    const user = await this.admin.get(userId);
    if (principal.userId === user.id)
      throw new DomainError('FORBIDDEN', 'Delete your own account from your account page');
    if (!outranks(principal.role, user.role))
      throw new DomainError('FORBIDDEN', 'You can only manage users below your own role');
    if (!user.deletionRequestedAt)
      throw new DomainError('CONFLICT', 'Nobody asked for this account to be deleted');
    await this.audit.record(principal.userId, 'user.deletion_processed', {
      targetType: 'user',
      targetId: user.id,
    });
    if (!(await this.erase(user.id, new Date(), principal.userId)))
      throw new DomainError('CONFLICT', 'The deletion was cancelled or done meanwhile');
  }

  private async erase(userId: string, requestedBefore: Date, actorId: string | null): Promise<boolean> {
    await this.erasers.eraseAll(userId);
    await this.verifiedSessions.revokeAllForUser(userId);
    if (!(await this.store.erase(userId, requestedBefore))) return false;
    await this.authState.invalidate(userId);
    await this.audit.record(actorId, 'user.deleted', {
      targetType: 'user',
      targetId: userId,
      details: { by: actorId ? 'administrator' : 'grace_period_ended' },
    });
    return true;
  }
}
