import { Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { LedgerRepository } from '@sah/infrastructure';
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

  /** A hold captured between the query and now is simply no longer due: the rest of the batch goes on. */
  private async expire(holdId: string): Promise<boolean> {
    try {
      return !(await this.ledger.expireHold(holdId)).replayed;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CONFLICT') return false;
      throw error;
    }
  }
}
