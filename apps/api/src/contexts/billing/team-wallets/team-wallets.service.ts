import { Injectable } from '@nestjs/common';
import { alertThresholds, Credits, DomainError, normalizeAdjustmentReason, parseAdjustmentAmount } from '@sah/domain';
import { TeamWalletEntry, TeamWalletRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../../identity/application/audit-log.service';
import { AdjustmentLimits } from '../admin/adjustment-limits';
import { BudgetClock } from '../application/budget-clock';
import { LedgerService, requestHash } from '../application/ledger.service';
import { TeamWalletAccess } from './team-wallet-access';

export interface TeamWalletView {
  teamId: string;
  balance: Credits;
  reserved: Credits;
  monthlyCap: Credits | null;
  usedThisMonth: Credits;
  /** Percentages of the monthly cap that alert the managers: the team's own, else the default. */
  budgetAlertThresholds: readonly number[];
  budgetAlertThresholdsCustom: boolean;
  members: Array<{ userId: string; dailyCredits: Credits | null; monthlyCredits: Credits | null; usedToday: Credits; usedThisMonth: Credits }>;
}

/** The most a single limit may be: a billion credits, as for API key budgets. */
const MAX_LIMIT = Credits.whole(1_000_000_000);

/**
 * Team wallets: balance, history and limits for the team's members, managers and administrators;
 * funding by administrators' adjustments and by managers' transfers from their own balance.
 */
@Injectable()
export class TeamWallets {
  constructor(
    private readonly wallets: TeamWalletRepository,
    private readonly ledger: LedgerService,
    private readonly access: TeamWalletAccess,
    private readonly audit: AuditLog,
    private readonly adjustmentLimits: AdjustmentLimits,
    private readonly clock: BudgetClock,
    private readonly config: AppConfig,
  ) {}

  async wallet(principal: Principal, teamId: string): Promise<TeamWalletView> {
    const reach = await this.access.reach(principal, teamId);
    return this.view(teamId, reach.memberIds);
  }

  async history(principal: Principal, teamId: string, page: { offset: number; limit: number }): Promise<{ items: TeamWalletEntry[]; total: number }> {
    await this.access.reach(principal, teamId);
    return this.wallets.history(teamId, page);
  }

  async adjust(principal: Principal, input: { teamId: string; amount: number; reason: string; idempotencyKey?: string }) {
    const amount = parseAdjustmentAmount(input.amount);
    const reason = normalizeAdjustmentReason(input.reason);
    const reach = await this.access.reach(principal, input.teamId);
    if (!reach.admin) {
      throw new DomainError('FORBIDDEN', "Only administrators adjust a team wallet; managers transfer from their own balance", { teamId: input.teamId });
    }
    await this.wallets.openWallet(input.teamId);
    const reservation = await this.adjustmentLimits.reserve(principal, [amount.isPositive() ? amount : amount.negate()]);
    let posted;
    try {
      posted = await this.wallets.adjust({
        teamId: input.teamId,
        amount,
        reason,
        actorId: principal.userId,
        idempotency: input.idempotencyKey
          ? {
              scope: `team-adjust:${principal.userId}`,
              key: input.idempotencyKey,
              requestHash: requestHash({ teamId: input.teamId, amount: amount.toString(), reason }),
            }
          : undefined,
      });
    } catch (error) {
      await reservation.release();
      throw error;
    }
    if (posted.replayed) await reservation.release();
    else {
      await this.audit.record(principal.userId, 'team_wallet.adjusted', {
        targetType: 'team',
        targetId: input.teamId,
        details: { transactionId: posted.transactionId, amount: amount.toNumber(), reason },
      });
    }
    return { ...posted, view: await this.view(input.teamId, reach.memberIds) };
  }

  /** From the caller's own balance into the team's wallet, as one ledger transaction. */
  async transfer(principal: Principal, input: { teamId: string; amount: number; idempotencyKey: string; reason?: string }) {
    const amount = Credits.parsePositive(input.amount, 'amount');
    const reason = input.reason === undefined ? 'Transfer to the team wallet' : normalizeAdjustmentReason(input.reason);
    const reach = await this.access.mustManage(principal, input.teamId);
    await this.ledger.balance(principal.userId); // opens the caller's account if it has none
    await this.wallets.openWallet(input.teamId);
    const posted = await this.wallets.transferFromUser({
      userId: principal.userId,
      teamId: input.teamId,
      amount,
      reason,
      actorId: principal.userId,
      idempotency: {
        scope: `team-transfer:${principal.userId}`,
        key: input.idempotencyKey,
        requestHash: requestHash({ teamId: input.teamId, amount: amount.toString(), reason }),
      },
    });
    if (!posted.replayed) {
      await this.audit.record(principal.userId, 'team_wallet.transferred', {
        targetType: 'team',
        targetId: input.teamId,
        details: { transactionId: posted.transactionId, amount: amount.toNumber() },
      });
    }
    return { ...posted, view: await this.view(input.teamId, reach.memberIds) };
  }

  async setMemberLimits(principal: Principal, input: { teamId: string; userId: string; dailyCredits?: number | null; monthlyCredits?: number | null }) {
    const reach = await this.access.mustManage(principal, input.teamId);
    if (!reach.memberIds.includes(input.userId)) throw DomainError.notFound('Team member', { teamId: input.teamId, userId: input.userId });
    const current = (await this.wallets.memberLimits(input.teamId)).find((limits) => limits.userId === input.userId);
    const limits = {
      userId: input.userId,
      dailyCredits: limitOf('dailyCredits', input.dailyCredits, current?.dailyCredits ?? null),
      monthlyCredits: limitOf('monthlyCredits', input.monthlyCredits, current?.monthlyCredits ?? null),
    };
    await this.wallets.setMemberLimits(input.teamId, limits);
    await this.audit.record(principal.userId, 'team_wallet.member_limits_changed', {
      targetType: 'team',
      targetId: input.teamId,
      details: { userId: input.userId, dailyCredits: limits.dailyCredits?.toNumber() ?? null, monthlyCredits: limits.monthlyCredits?.toNumber() ?? null },
    });
    return this.view(input.teamId, reach.memberIds);
  }

  async setMonthlyCap(principal: Principal, input: { teamId: string; monthlyCap?: number | null }) {
    const reach = await this.access.mustManage(principal, input.teamId);
    const cap = limitOf('monthlyCap', input.monthlyCap, await this.wallets.monthlyCap(input.teamId));
    await this.wallets.setMonthlyCap(input.teamId, cap);
    await this.audit.record(principal.userId, 'team_wallet.monthly_cap_changed', {
      targetType: 'team',
      targetId: input.teamId,
      details: { monthlyCap: cap?.toNumber() ?? null },
    });
    return this.view(input.teamId, reach.memberIds);
  }

  /**
   * The percentages of the monthly cap at which the managers are alerted, once each per month; null
   * goes back to the default, an empty list turns alerts off. Takes effect from the next capture.
   */
  async setBudgetAlerts(principal: Principal, input: { teamId: string; thresholds?: number[] | null }) {
    const reach = await this.access.mustManage(principal, input.teamId);
    const thresholds = input.thresholds == null ? null : alertThresholds(input.thresholds);
    await this.wallets.setAlertThresholds(input.teamId, thresholds);
    await this.audit.record(principal.userId, 'team_wallet.budget_alerts_changed', {
      targetType: 'team',
      targetId: input.teamId,
      details: { thresholds },
    });
    return this.view(input.teamId, reach.memberIds);
  }

  private async view(teamId: string, memberIds: readonly string[]): Promise<TeamWalletView> {
    const [wallet, cap, limits, spending, thresholds] = await Promise.all([
      this.wallets.wallet(teamId),
      this.wallets.monthlyCap(teamId),
      this.wallets.memberLimits(teamId),
      this.wallets.spending(teamId, this.clock.day()),
      this.wallets.alertThresholds(teamId),
    ]);
    const used = (userId: string | null, period: 'day' | 'month') =>
      spending.find((row) => row.userId === userId && row.period === period)?.used ?? Credits.ZERO;
    return {
      teamId,
      balance: wallet?.balance ?? Credits.ZERO,
      reserved: wallet?.reserved ?? Credits.ZERO,
      monthlyCap: cap,
      usedThisMonth: used(null, 'month'),
      budgetAlertThresholds: thresholds ?? this.config.billing.budgetAlertThresholds,
      budgetAlertThresholdsCustom: thresholds !== null,
      members: memberIds.map((userId) => {
        const own = limits.find((row) => row.userId === userId);
        return {
          userId,
          dailyCredits: own?.dailyCredits ?? null,
          monthlyCredits: own?.monthlyCredits ?? null,
          usedToday: used(userId, 'day'),
          usedThisMonth: used(userId, 'month'),
        };
      }),
    };
  }
}

/** undefined keeps the current limit, null removes it; otherwise positive, at most 3 decimals, at most a billion. */
function limitOf(field: string, value: number | null | undefined, current: Credits | null): Credits | null {
  if (value === undefined) return current;
  if (value === null) return null;
  const limit = Credits.parsePositive(value, field);
  if (limit.isGreaterThan(MAX_LIMIT)) throw DomainError.badInput(`${field} must be at most ${MAX_LIMIT.toString()} credits`, { field });
  return limit;
}
