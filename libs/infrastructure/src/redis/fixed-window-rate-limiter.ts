import type Redis from 'ioredis';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/**
 * Counts requests per key in fixed windows, in Redis so every API instance shares the count.
 * One round trip: INCR, set the expiry only for a new window, read the time left.
 */
export class FixedWindowRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly namespace = 'ratelimit',
  ) {}

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    const redisKey = `${this.namespace}:${key}`;
    const results = await this.redis.multi().incr(redisKey).pexpire(redisKey, windowMs, 'NX').pttl(redisKey).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    const ttl = Number(results?.[2]?.[1] ?? windowMs);
    return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs: ttl > 0 ? ttl : windowMs };
  }
}
