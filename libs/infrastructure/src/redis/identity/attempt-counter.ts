import type Redis from 'ioredis';

/**
 * Counts attempts in a fixed window per key (an account, an IP, a code). The first attempt opens the
 * window; INCR and PEXPIRE run in one MULTI so a crash cannot leave a counter without expiry.
 */
export class AttemptCounter {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly windowMs: number,
  ) {}

  async count(key: string): Promise<number> {
    return Number((await this.redis.get(this.key(key))) ?? 0);
  }

  async increment(key: string): Promise<number> {
    const results = await this.redis.multi().incr(this.key(key)).pexpire(this.key(key), this.windowMs, 'NX').exec();
    return Number(results?.[0]?.[1] ?? 0);
  }

  /** Makes the current window last `ms` from now (a lock-out starts when the limit is reached). */
  async extend(key: string, ms: number): Promise<void> {
    await this.redis.pexpire(this.key(key), ms);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  /** Milliseconds until the window ends (0 when there is none). */
  async remainingMs(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.key(key)));
  }

  private key(key: string): string {
    return `${this.namespace}:${key}`;
  }
}
