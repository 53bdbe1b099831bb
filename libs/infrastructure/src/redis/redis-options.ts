import type { RedisOptions } from 'ioredis';

/**
 * Turns a `redis://` or `rediss://` URL into ioredis options. BullMQ takes options rather than a URL,
 * and every client of the app is built from the same parse.
 */
export function parseRedisUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`Unsupported Redis URL protocol: ${parsed.protocol}`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error('Redis URL database must be a non-negative integer');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/** Reconnect quickly (capped at 1 s) so a restarted Redis is picked up within seconds. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 1_000);
}
