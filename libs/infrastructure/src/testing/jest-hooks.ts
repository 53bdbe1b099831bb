import { createTestEnvironment, destroyTestEnvironment } from './test-environment';

/**
 * Jest global setup for suites that need the database: creates this run's database and Redis
 * prefix and exposes them to the workers through the environment; the teardown removes both.
 */
export async function setUpTestEnvironment(label: string): Promise<void> {
  const env = await createTestEnvironment(label);
  process.env.TEST_DATABASE_URL = env.databaseUrl;
  process.env.TEST_TEMPLATE_DATABASE_URL = env.templateDatabaseUrl;
  process.env.TEST_REDIS_URL = env.redisUrl;
  process.env.TEST_REDIS_PREFIX = env.redisPrefix;
}

export async function tearDownTestEnvironment(): Promise<void> {
  const { TEST_DATABASE_URL, TEST_REDIS_URL, TEST_REDIS_PREFIX } = process.env;
  if (!TEST_DATABASE_URL || !TEST_REDIS_URL || !TEST_REDIS_PREFIX) return;
  await destroyTestEnvironment({ databaseUrl: TEST_DATABASE_URL, redisUrl: TEST_REDIS_URL, redisPrefix: TEST_REDIS_PREFIX });
}

