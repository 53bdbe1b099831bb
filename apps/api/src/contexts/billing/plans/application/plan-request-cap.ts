import { Inject, Injectable } from '@nestjs/common';
import { can, DomainError, requestCapPeriod, RequestCapPeriod, Role } from '@sah/domain';
import { PeriodCounter, PlanSubscriptionRepository } from '@sah/infrastructure';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../../platform/logging/logging.module';
import { FREE_PLAN_CODE } from './free-plan';

/** How long a user's cap serves this process: the bound on a plan or subscription change taking effect. */
export const PLAN_REQUEST_CAP_TTL_MS = 5_000;
/** Counts outlive their period by a day, so a request racing the period's end is still counted. */
const KEEP_AFTER_PERIOD_MS = 24 * 60 * 60_000;

interface UserCap {
  requestsPerMonth: number | null;
  paid: { start: Date | null; end: Date | null };
}

/** A request counted against its user's cap: given back if the request ends before it was held. */
export interface CountedRequest {
  key: string;
}

/**
 * A plan's monthly request cap, enforced on every AI call before its credits are held: 429
 * RATE_LIMITED with the time until the period renews once the cap is reached. Counted in Redis, so
 * every API instance shares the count; a Redis outage refuses calls rather than letting them through.
 * Staff who run the gateway (`ai:manage`) are not held to a plan. Each user's cap is read in one
 * database round trip and kept for PLAN_REQUEST_CAP_TTL_MS (the bound on a subscription change, or a
 * plan edited through another instance, taking effect).
 */
@Injectable()
export class PlanRequestCap {
  private readonly caps = new LRUCache<string, UserCap>({ max: 10_000, ttl: PLAN_REQUEST_CAP_TTL_MS });

  constructor(
    private readonly subscriptions: PlanSubscriptionRepository,
    private readonly counter: PeriodCounter,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Counts one request of the user's, or refuses it; null when no cap applies. */
  async admit(userId: string, role: Role, now = new Date()): Promise<CountedRequest | null> {
    if (can(role, 'ai:manage')) return null;
    const cap = await this.capOf(userId);
    if (cap.requestsPerMonth === null) return null;
    const period = requestCapPeriod(cap.paid, now);
    const key = countKey(userId, period);
    const taken = await this.counter.take(key, cap.requestsPerMonth, new Date(period.end.getTime() + KEEP_AFTER_PERIOD_MS));
    if (taken.allowed) return { key };
    const retryAfter = Math.max(1, Math.ceil((period.end.getTime() - now.getTime()) / 1000));
    throw new DomainError(
      'RATE_LIMITED',
      `Your plan's limit of ${cap.requestsPerMonth} requests a month is reached: it renews at ${period.end.toISOString()}, or change to a larger plan`,
      { retry_after_seconds: retryAfter, requests_per_month: cap.requestsPerMonth, renews_at: period.end.toISOString() },
    );
  }

  /**
   * For a request refused after it was counted (too few credits, another limit): it does not count.
   * Best effort: one that fails leaves the request counted, which only errs on the user's cost.
   */
  async giveBack(counted: CountedRequest | null): Promise<void> {
    if (!counted) return;
    await this.counter.giveBack(counted.key).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not take back a refused request from its plan cap; it stays counted');
    });
  }

  /** The requests of the user's counted in `period` (staff's are never counted). */
  used(userId: string, period: RequestCapPeriod): Promise<number> {
    return this.counter.count(countKey(userId, period));
  }

  /** Drops every cached cap, so a plan edited through this process applies here at once. */
  forgetAll(): void {
    this.caps.clear();
  }

  private async capOf(userId: string): Promise<UserCap> {
    const cached = this.caps.get(userId);
    if (cached) return cached;
    const row = await this.subscriptions.requestCapOf(userId, FREE_PLAN_CODE);
    const cap: UserCap = { requestsPerMonth: row?.requestsPerMonth ?? null, paid: { start: row?.periodStart ?? null, end: row?.periodEnd ?? null } };
    this.caps.set(userId, cap);
    return cap;
  }
}

const countKey = (userId: string, period: RequestCapPeriod) => `${userId}:${period.start.getTime()}`;
