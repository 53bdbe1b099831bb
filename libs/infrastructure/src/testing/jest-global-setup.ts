import { createTestEnvironment } from './test-environment';

/** Jest workers inherit these variables; the teardown reads them back. */
export default async function globalSetup(): Promise<void> {
  const env = await createTestEnvironment(process.env.TEST_LABEL ?? 'infra');
  process.env.TEST_DATABASE_URL = env.databaseUrl;
  process.env.TEST_REDIS_URL = env.redisUrl;
  process.env.TEST_REDIS_PREFIX = env.redisPrefix;
}
