import RedisRateLimiter from 'async-ratelimiter';
import type Redis from 'ioredis';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until one more request would be allowed (a whole second at most too long, never too short). */
  resetMs: number;
}

/**
 * Counts requests per key over a sliding window, in Redis so every API instance shares the count:
 * `async-ratelimiter` keeps each admitted request's time in a sorted set and checks and records in
 * one Lua script, so no span of `windowMs` ever holds more than `limit` admitted requests (a fixed
 * window lets a client send twice its limit across the window's end). Refused requests are not
 * recorded: a client that waits out Retry-After gets in. Redis errors reach the caller: limits fail
 * closed.
 */
export class SlidingWindowRateLimiter {
  private readonly limiter: RedisRateLimiter;

  // Not the fixed window's `ratelimit:` keys: during a rolling deploy those are still plain counters,
  // and sorted-set commands on them would fail every limited request with WRONGTYPE.
  constructor(redis: Redis, namespace = 'ratelimit:sw') {
    this.limiter = new RedisRateLimiter({ db: redis, namespace });
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    // `remaining` counts this request; `reset` is in whole seconds, rounded down.
    const { remaining, reset } = await this.limiter.get({ id: key, max: limit, duration: windowMs });
    const resetMs = Math.max(1, (reset + 1) * 1000 - Date.now());
    return { allowed: remaining > 0, limit, remaining: Math.max(0, remaining - 1), resetMs };
  }
}
