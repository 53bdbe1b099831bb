import type Redis from 'ioredis';

/**
 * Short-lived secrets (verification codes, reset tokens) keyed by what they unlock. Only a hash of the
 * secret is stored; `take` reads and deletes in one step, so a secret is single-use.
 */
export class ExpiringSecretStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(key), value, 'PX', ttlMs);
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.key(key));
  }

  async take(key: string): Promise<string | null> {
    return this.redis.getdel(this.key(key));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  /** Sets the key only if absent: true when this call set it (used for cooldowns). */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key(key), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  private key(key: string): string {
    return `${this.namespace}:${key}`;
  }
}
