import { destroyTestEnvironment } from './test-environment';

export default async function globalTeardown(): Promise<void> {
  const { TEST_DATABASE_URL, TEST_REDIS_URL, TEST_REDIS_PREFIX } = process.env;
  if (!TEST_DATABASE_URL || !TEST_REDIS_URL || !TEST_REDIS_PREFIX) return;
  await destroyTestEnvironment({
    databaseUrl: TEST_DATABASE_URL,
    redisUrl: TEST_REDIS_URL,
    redisPrefix: TEST_REDIS_PREFIX,
  });
}
