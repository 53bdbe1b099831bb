import { Injectable } from '@nestjs/common';
import { can, Credits, Permission, PROVIDERS } from '@sah/domain';
import { CreditFiguresQuery, UsageFiguresQuery, UsageQuery, UserFiguresQuery, type DailyUsage } from '@sah/infrastructure';
import { ProviderHealth } from '../../contexts/ai/application/provider-health';
import { ProviderKeys } from '../../contexts/ai/application/provider-keys';
import { CreditViews } from '../../contexts/billing/application/credit-views.service';
import { CreditBalanceObject } from '../../contexts/billing/graphql/credit-balance.object';
import { CreditTransactionObject } from '../../contexts/billing/graphql/credit-transaction.object';
import type { Principal } from '../../platform/auth/principal';
import type {
  BusinessDashboardObject,
  DashboardAiDayObject,
  DashboardCreditDayObject,
  DashboardObject,
  PersonalDashboardObject,
} from './dashboard.objects';
import { QueueHealthReader } from './queue-health';

/** Whoever holds all of these sees the whole hub: users, money and AI traffic of everyone. */
const BUSINESS_VIEW: readonly Permission[] = ['users:manage', 'billing:manage', 'ai:manage'];
const CREDIT_DAYS = 30;
const AI_DAYS = 7;
const REVENUE_DAYS = 30;
const RECENT = 5;
const REVENUE_NOTE = 'By credit package: subscription plans do not exist yet.';

/**
 * The console's first page, assembled from each context's public read services (they own their
 * tables and rollups; this module reads none of them). Independent reads run side by side.
 */
@Injectable()
export class OpsDashboard {
  constructor(
    private readonly users: UserFiguresQuery,
    private readonly credits: CreditFiguresQuery,
    private readonly creditViews: CreditViews,
    private readonly usage: UsageFiguresQuery,
    private readonly calls: UsageQuery,
    private readonly providerHealth: ProviderHealth,
    private readonly providerKeys: ProviderKeys,
    private readonly queues: QueueHealthReader,
  ) {}

  async view(principal: Principal): Promise<DashboardObject> {
    const seesBusiness = BUSINESS_VIEW.every((permission) => can(principal.role, permission));
    const [business, personal] = await Promise.all([seesBusiness ? this.business() : null, this.personal(principal)]);
    return { business, personal };
  }

  private async business(): Promise<BusinessDashboardObject> {
    const [counts, signUps, creditDays, outstanding, revenue, aiDays, channels, providers, queues, large] = await Promise.all([
      this.users.counts(),
      this.users.recentSignUps(RECENT),
      this.credits.daily(CREDIT_DAYS),
      this.credits.outstanding(),
      this.credits.revenueByPackage(REVENUE_DAYS),
      this.usage.daily(AI_DAYS),
      this.usage.channelsToday(),
      this.providers(),
      this.queues.read(),
      this.credits.largeTransactions(RECENT),
    ]);
    const daily = outstandingByDay(creditDays, outstanding);
    const ai = aiDays.map(toAiDay);
    // The series always ends with today (the query generates every day of the window).
    const [today] = ai.slice(-1) as [DashboardAiDayObject];
    return {
      users: { ...counts, recentSignUps: signUps },
      credits: {
        sold: sum(creditDays.map((d) => d.sold)).toNumber(),
        spent: sum(creditDays.map((d) => d.spent)).toNumber(),
        outstanding: outstanding.toNumber(),
        daily,
      },
      revenue: {
        windowDays: REVENUE_DAYS,
        note: REVENUE_NOTE,
        byPackage: revenue.map((r) => ({ ...r, amount: centsToDecimal(r.amountCents) })),
      },
      ai: {
        today,
        daily: ai,
        channels: channels.map((c) => ({ ...c, errorRate: rate(c.errors, c.requests) })),
        providers,
      },
      queues,
      largeTransactions: large.map(CreditTransactionObject.from),
    };
  }

  private async personal(principal: Principal): Promise<PersonalDashboardObject> {
    const [account, forecast, month, recent] = await Promise.all([
      this.creditViews.balance(principal),
      this.creditViews.forecast(principal),
      this.usage.userThisMonth(principal.userId),
      this.calls.recent(principal.userId, RECENT),
    ]);
    return {
      balance: CreditBalanceObject.of(principal.userId, account.balance, account.reserved),
      forecast,
      usageThisMonth: { ...month, credits: month.credits.toNumber() },
      recentCalls: recent.map((call) => ({ ...call, channel: call.endpoint, credits: call.credits.toNumber() })),
    };
  }

  /** As aiProviderHealth reports them: this instance's circuit breakers and recent calls. */
  private async providers() {
    const configured = await Promise.all(PROVIDERS.map(async (provider) => [provider, await this.providerKeys.hasAny(provider)] as const));
    const withKey = new Map(configured);
    return this.providerHealth.report().map((report) => ({ ...report, keyConfigured: withKey.get(report.provider) ?? false }));
  }
}

/** Balances at each day's end, walked back from now: the end of day d is the end of d+1 less d+1's net change. */
function outstandingByDay(days: Array<{ day: string; sold: Credits; spent: Credits; net: Credits }>, now: Credits): DashboardCreditDayObject[] {
  let atEnd = now;
  const result: DashboardCreditDayObject[] = [];
  for (const day of [...days].reverse()) {
    result.unshift({ day: day.day, sold: day.sold.toNumber(), spent: day.spent.toNumber(), outstanding: atEnd.toNumber() });
    atEnd = atEnd.minus(day.net);
  }
  return result;
}

function toAiDay(day: DailyUsage): DashboardAiDayObject {
  return { ...day, credits: day.credits.toNumber(), errorRate: rate(day.errors, day.requests) };
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function sum(values: Credits[]): Credits {
  return values.reduce((total, value) => total.plus(value), Credits.ZERO);
}

/** 1990 → "19.90": integer arithmetic, no float rounding. */
function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
