import { Injectable } from '@nestjs/common';
import { can, Credits, daysUntilEmpty, DomainError } from '@sah/domain';
import { LedgerQuery, TransactionFilter, TransactionPage } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { CreditScope } from '../admin/credit-scope';
import { LedgerService } from './ledger.service';

const FORECAST_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What callers may read of the ledger: their own account; managers their teams' members; admins
 * everyone. Someone out of reach is NOT_FOUND, not FORBIDDEN, so ids cannot be probed.
 */
@Injectable()
export class CreditViews {
  constructor(
    private readonly ledger: LedgerService,
    private readonly query: LedgerQuery,
    private readonly scope: CreditScope,
  ) {}

  async balance(principal: Principal, userId = principal.userId) {
    await this.scope.assertMaySee(principal, userId);
    return this.ledger.balance(userId);
  }

  async transactions(
    principal: Principal,
    filter: Omit<TransactionFilter, 'userIds'> & { userId?: string; allUsers?: boolean },
    page: { offset: number; limit: number },
  ): Promise<TransactionPage> {
    let userIds: string[] | undefined;
    if (filter.allUsers) {
      if (!can(principal.role, 'users:read')) throw new DomainError('FORBIDDEN', 'Your role cannot list other users’ transactions');
      userIds = (await this.scope.visibleUserIds(principal)) ?? undefined;
    } else {
      const userId = filter.userId ?? principal.userId;
      await this.scope.assertMaySee(principal, userId);
      userIds = [userId];
    }
    if (filter.from && filter.to && filter.from >= filter.to) throw DomainError.badInput('from must be before to', { field: 'from' });
    return this.query.transactions({ userIds, types: filter.types, from: filter.from, to: filter.to }, page);
  }

  async forecast(principal: Principal, userId = principal.userId) {
    await this.scope.assertMaySee(principal, userId);
    const account = await this.ledger.balance(userId);
    const available = account.balance.minus(account.reserved);
    const spent = await this.query.spentSince(userId, new Date(Date.now() - FORECAST_WINDOW_DAYS * DAY_MS));
    return {
      daysUntilEmpty: daysUntilEmpty(available.millis, spent.millis, FORECAST_WINDOW_DAYS),
      // Milli-credits per day, rounded down to whole milli-credits before leaving as a number.
      averageDailySpend: Credits.fromMillis((spent.millis > 0n ? spent.millis : 0n) / BigInt(FORECAST_WINDOW_DAYS)).toNumber(),
      windowDays: FORECAST_WINDOW_DAYS,
      available: available.toNumber(),
    };
  }
}
