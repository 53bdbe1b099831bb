import { Injectable } from '@nestjs/common';
import { Credits, DomainError } from '@sah/domain';
import Redis from 'ioredis';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';

// Adds ARGV[1] to the day's total unless it would pass ARGV[2]; answers {allowed, total before}.
const RESERVE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, used} end
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], 172800)
return {1, used}`;

export interface Reservation {
  /** Gives the amount back to the day's allowance: the adjustment failed or was a replay. */
  release(): Promise<void>;
}

const NOTHING: Reservation = { release: async () => undefined };

/**
 * Caps on what one person may move by manual adjustment, by role (configured; super admins
 * uncapped): per adjustment, and per UTC day in total. The day's total lives in Redis and is claimed
 * atomically before posting, so concurrent adjustments cannot pass the cap together.
 */
@Injectable()
export class AdjustmentLimits {
  constructor(
    private readonly config: AppConfig,
    private readonly redis: Redis,
  ) {}

  /** `amounts` are the sizes (positive) of the adjustments about to be posted together. */
  async reserve(principal: Principal, amounts: readonly Credits[], now = new Date()): Promise<Reservation> {
    if (principal.role !== 'MANAGER' && principal.role !== 'ADMIN') return NOTHING;
    const limit = this.config.billing.adjustmentLimits[principal.role];
    const largest = amounts.reduce((a, b) => (b.isGreaterThan(a) ? b : a), Credits.ZERO);
    if (largest.isGreaterThan(limit.perAdjustment)) {
      throw new DomainError('ADJUSTMENT_LIMIT_EXCEEDED', `Your role may adjust at most ${limit.perAdjustment.toString()} credits at once`, {
        limit: limit.perAdjustment.toNumber(),
        role: principal.role,
      });
    }
    const total = amounts.reduce((sum, amount) => sum.plus(amount), Credits.ZERO);
    const key = `billing:adjusted-today:${principal.userId}:${now.toISOString().slice(0, 10)}`;
    const [allowed, used] = (await this.redis.eval(RESERVE, 1, key, total.millis.toString(), limit.perDay.millis.toString())) as [number, number];
    if (allowed !== 1) {
      const left = limit.perDay.minus(Credits.fromMillis(Math.min(used, Number(limit.perDay.millis))));
      throw new DomainError('ADJUSTMENT_LIMIT_EXCEEDED', `Your role may adjust at most ${limit.perDay.toString()} credits per day; ${left.toString()} left today`, {
        daily_limit: limit.perDay.toNumber(),
        remaining_today: left.toNumber(),
        role: principal.role,
      });
    }
    return { release: () => this.redis.decrby(key, total.millis.toString()).then(() => undefined) };
  }
}
