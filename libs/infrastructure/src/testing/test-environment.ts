import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { runMigrations } from '../persistence/run-migrations';
import { parseRedisUrl } from '../redis/redis-options';

/**
 * Each test run gets its own PostgreSQL database and Redis key prefix on the machine's real servers,
 * and removes both afterwards, so runs never see each other's data and can repeat back to back.
 */
const ADMIN_DATABASE_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export interface TestEnvironment {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
}

export async function createTestEnvironment(label: string): Promise<TestEnvironment> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseName = `sah_test_${label}_${suffix}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`));
  const databaseUrl = withDatabase(ADMIN_DATABASE_URL, databaseName);
  await runMigrations({ url: databaseUrl, poolMax: 2, applicationName: 'sah-test-setup' });
  return { databaseUrl, redisUrl: REDIS_URL, redisPrefix: `sah_test_${label}_${suffix}:` };
}

export async function destroyTestEnvironment(env: TestEnvironment): Promise<void> {
  const databaseName = new URL(env.databaseUrl).pathname.slice(1);
  await withAdminClient((client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName)} WITH (FORCE)`),
  );
  await deleteRedisKeys(env.redisUrl, env.redisPrefix);
}

/** Creates an empty database (no migrations) and returns its URL with a function that drops it. */
export async function createEmptyDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sah_test_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return {
    url: withDatabase(ADMIN_DATABASE_URL, name),
    drop: () =>
      withAdminClient((client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis({ ...parseRedisUrl(redisUrl), lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
