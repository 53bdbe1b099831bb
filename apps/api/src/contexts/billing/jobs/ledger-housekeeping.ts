import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { LedgerRepository } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { LedgerService } from '../application/ledger.service';

const BATCH = 500;

/**
 * The ledger's scheduled work. Both jobs re-read state and skip what is already done, so a retried
 * or overlapping run changes nothing twice.
 */
@Injectable()
export class LedgerHousekeeping {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly ledger: LedgerService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async releaseExpiredHolds(now = new Date()): Promise<{ released: number }> {
    let released = 0;
    for (;;) {
      const due = await this.repository.dueHolds(now, BATCH);
      for (const holdId of due) {
        if (await this.expire(holdId)) released += 1;
      }
      if (due.length < BATCH) return { released };
    }
  }

  async expireLapsedCredits(now = new Date()): Promise<{ accounts: number }> {
    let accounts = 0;
    for (;;) {
      const users = await this.repository.usersWithLapsedCredits(now, BATCH);
      for (const userId of users) {
        if (await this.ledger.expireLapsedCredits(userId, now)) accounts += 1;
      }
      if (users.length < BATCH) return { accounts };
    }
  }

  /**
   * A hold captured between the query and now is simply no longer due: the rest of the batch goes on.
   * One that expires was never settled (its process died between the work and its settlement, e.g. an
   * AI call after its answer): nothing records what that work cost, so it is logged for the operators.
   */
  private async expire(holdId: string): Promise<boolean> {
    try {
      const { hold, replayed } = await this.ledger.expireHold(holdId);
      if (!replayed) {
        this.logger.warn({ hold_id: hold.id, user_id: hold.userId, held: hold.amount.toString(), metadata: hold.metadata }, 'a credit hold expired unsettled: its work was not charged');
      }
      return !replayed;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CONFLICT') return false;
      throw error;
    }
  }
}
