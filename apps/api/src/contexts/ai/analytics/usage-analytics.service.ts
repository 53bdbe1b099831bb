import { Injectable } from '@nestjs/common';
import { DomainError, UserRepository } from '@sah/domain';
import { UsageAnalyticsQuery, UsageGroupBy, UsageSummaryResult, UsageSummaryRow } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { UsageScope } from './usage-scope';

export interface UsageSummaryFilter {
  from?: Date;
  to?: Date;
  groupBy?: UsageGroupBy;
  userId?: string;
  teamId?: string;
}

export interface UsageSummary extends UsageSummaryResult {
  /** `member` grouping: each row's e-mail address (null once the account is gone). */
  rows: Array<UsageSummaryRow & { member?: string | null }>;
  from: Date;
  to: Date;
  groupBy: UsageGroupBy;
}

const DAY_MS = 24 * 60 * 60_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

/** Usage figures (requests, tokens, credits, latency, errors) over a period, grouped, for whoever may see them. */
@Injectable()
export class UsageAnalytics {
  constructor(
    private readonly query: UsageAnalyticsQuery,
    private readonly scope: UsageScope,
    private readonly users: UserRepository,
  ) {}

  async summary(principal: Principal, filter: UsageSummaryFilter, limit: number): Promise<UsageSummary> {
    const to = filter.to ?? new Date();
    const from = filter.from ?? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw DomainError.badInput('from and to must be dates', { field: 'from' });
    if (from >= to) throw DomainError.badInput('from must be before to', { field: 'from' });
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) throw DomainError.badInput(`The period may span at most ${MAX_DAYS} days`, { field: 'from' });
    const groupBy = filter.groupBy ?? 'day';
    const reach =
      groupBy === 'member'
        ? await this.scope.teamMembers(principal, filter.teamId, filter.userId)
        : await this.scope.reach(principal, { userId: filter.userId, teamId: filter.teamId, perTeam: groupBy === 'team' });
    const result = await this.query.summary({ from, to, groupBy, userIds: reach.userIds, memberships: reach.memberships, limit });
    if (groupBy !== 'member') return { ...result, from, to, groupBy };
    const rows = await Promise.all(result.rows.map(async (row) => ({ ...row, member: (await this.users.findById(row.key))?.email.value ?? null })));
    return { ...result, rows, from, to, groupBy };
  }
}
