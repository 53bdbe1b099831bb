import Redis from 'ioredis';
import { requiredEnv, TestApp } from './test-app';

/** Every key under the app's Redis prefix with its value as JSON text, whatever the key's type. */
export async function redisEntries(api: TestApp): Promise<Array<{ key: string; value: string }>> {
  const redis = new Redis(requiredEnv('TEST_REDIS_URL'), { lazyConnect: true });
  await redis.connect();
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${api.config.redis.keyPrefix}*`, count: 500 })) keys.push(...(batch as string[]));
    const entries: Array<{ key: string; value: string }> = [];
    for (const key of keys) entries.push({ key, value: JSON.stringify(await valueOf(redis, key)) });
    return entries;
  } finally {
    redis.disconnect();
  }
}

async function valueOf(redis: Redis, key: string): Promise<unknown> {
  switch (await redis.type(key)) {
    case 'string':
      return redis.get(key);
    case 'hash':
      return redis.hgetall(key);
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1);
    case 'stream':
      return redis.xrange(key, '-', '+');
    default:
      return null; // expired between SCAN and TYPE
  }
}
