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
  /** A migrated database nothing connects to, copied for each test app (`cloneTestDatabase`). */
  templateDatabaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
}

export async function createTestEnvironment(label: string): Promise<TestEnvironment> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseName = `sah_test_${label}_${suffix}`;
  const templateDatabaseUrl = withDatabase(ADMIN_DATABASE_URL, `${databaseName}_tpl`);
  // Migrate once; the run's own database is a copy of the template like every test app's.
  await createDatabase(databaseNameOf(templateDatabaseUrl));
  await runMigrations({ url: templateDatabaseUrl, poolMax: 2, applicationName: 'sah-test-setup' });
  await createDatabase(databaseName, databaseNameOf(templateDatabaseUrl));
  return {
    databaseUrl: withDatabase(ADMIN_DATABASE_URL, databaseName),
    templateDatabaseUrl,
    redisUrl: REDIS_URL,
    redisPrefix: `sah_test_${label}_${suffix}:`,
  };
}

/**
 * A private copy of the migrated template, for one test app: apps running side by side (jest
 * workers) must not share database-wide consumers such as the outbox relay. Dropped with `drop`.
 */
export async function cloneTestDatabase(templateUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${databaseNameOf(templateUrl).replace(/_tpl$/, '')}_c${randomBytes(4).toString('hex')}`;
  await createDatabase(name, databaseNameOf(templateUrl));
  return { url: withDatabase(templateUrl, name), drop: () => dropDatabase(name) };
}

export async function destroyTestEnvironment(env: Pick<TestEnvironment, 'databaseUrl' | 'redisUrl' | 'redisPrefix'>): Promise<void> {
  const databaseName = databaseNameOf(env.databaseUrl);
  await withAdminClient(async (client) => {
    // The run's database, its template and any copy an interrupted test left behind.
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [
      databaseName,
      `${databaseName.replace(/_/g, '\\_')}\\_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
  });
  await deleteRedisKeys(env.redisUrl, env.redisPrefix);
}

/** Creates an empty database (no migrations) and returns its URL with a function that drops it. */
export async function createEmptyDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sah_test_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await createDatabase(name);
  return { url: withDatabase(ADMIN_DATABASE_URL, name), drop: () => dropDatabase(name) };
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

/** `template`, when given, must have no open connections (PostgreSQL refuses to copy it otherwise). */
async function createDatabase(name: string, template?: string): Promise<void> {
  await withAdminClient((client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : ''}`),
  );
}

async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
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

function databaseNameOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
