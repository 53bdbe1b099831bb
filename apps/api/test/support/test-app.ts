import type { NestExpressApplication } from '@nestjs/platform-express';
import { cloneTestDatabase } from '@sah/infrastructure/testing';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/environment';
import { createApiApp } from '../../src/create-api-app';
import { createLogger } from '../../src/platform/logging/create-logger';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  url: string;
  close(): Promise<void>;
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through apps/api/jest.config.cjs`);
  return value;
}

/**
 * The test run's environment plus overrides. Each app gets its own Redis key prefix (under the
 * run's prefix), so queues of apps in parallel test files never consume each other's jobs.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: requiredEnv('TEST_DATABASE_URL'),
    REDIS_URL: requiredEnv('TEST_REDIS_URL'),
    REDIS_KEY_PREFIX: `${requiredEnv('TEST_REDIS_PREFIX')}${randomBytes(4).toString('hex')}:`,
    DATABASE_POOL_MAX: '4',
    // Cheap hashes keep suites fast; production refuses a cost below 12.
    BCRYPT_COST: '4',
    // Suites sign in many times from 127.0.0.1; the rate-limit suite sets its own low limits.
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    RATE_LIMIT_GUEST_PER_MINUTE: '100000',
    RATE_LIMIT_MANAGER_PER_MINUTE: '100000',
    // Outbox events (welcome credits, alerts) are handled within a test's patience.
    OUTBOX_POLL_MS: '50',
    // A failed mail is retried within a test's patience too.
    MAIL_BACKOFF_MS: '100',
    // A test process starved by its neighbours (two cores, three suites, browsers, a long GC) reads
    // Redis's answers late; the production 2 s would fail requests, not the rules under test. The
    // suites about Redis deadlines set their own.
    REDIS_COMMAND_TIMEOUT_MS: '15000',
    ...overrides,
  };
}

/**
 * Boots the real application (same factory as `main.ts`) on a free port of 127.0.0.1, on its own copy
 * of the migrated database unless DATABASE_URL is given: apps of test files running side by side
 * must not consume each other's outbox events.
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = overrides.DATABASE_URL ? undefined : await cloneTestDatabase(requiredEnv('TEST_TEMPLATE_DATABASE_URL'));
  try {
    const config = loadConfig(testEnv({ ...(database ? { DATABASE_URL: database.url } : {}), ...overrides }));
    const app = await createApiApp(config, createLogger(config.logLevel, 'api'));
    await app.listen(0, '127.0.0.1');
    const close = async () => {
      await app.close();
      await database?.drop();
    };
    return { app, config, url: await app.getUrl().then((u) => u.replace('[::1]', '127.0.0.1')), close };
  } catch (error) {
    await database?.drop();
    throw error;
  }
}

/**
 * Polls until `done` accepts the probed value or the time is up; returns the last value for the
 * assertion. The default deadline bounds a state that never comes (only a failing test waits it out),
 * with room for three jest workers on two cores with one of them busy.
 */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
