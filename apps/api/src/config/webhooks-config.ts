import { STANDARD_RETRY_SCHEDULE_MS } from '@sah/domain';
import { ConfigError } from './config-error';
import { Env, raw, readInt, readList } from './env-readers';

export interface WebhooksConfig {
  /** Endpoints on loopback addresses (http, any port) are accepted: local development and tests only. */
  readonly allowPrivateUrls: boolean;
  /** Deadline of one delivery attempt, connect to last byte. */
  readonly timeoutMs: number;
  /** Delay before each attempt (the first is 0); Standard Webhooks' schedule by default. */
  readonly retryScheduleMs: readonly number[];
  /** Attempts in flight to one endpoint at once, and attempts per second: one slow partner cannot starve others. */
  readonly endpointConcurrency: number;
  readonly endpointRatePerSecond: number;
  /** Attempts in flight per worker process, over all endpoints. */
  readonly workerConcurrency: number;
}

export function readWebhooks(env: Env): WebhooksConfig {
  const allow = raw(env, 'WEBHOOK_ALLOW_PRIVATE_URLS') ?? 'false';
  if (allow !== 'true' && allow !== 'false')
    throw new ConfigError('WEBHOOK_ALLOW_PRIVATE_URLS', 'expected true or false', allow);
  const schedule = readList(env, 'WEBHOOK_RETRY_SCHEDULE_MS');
  if (schedule.some((entry) => !/^\d{1,9}$/.test(entry)) || schedule.length > 20) {
    throw new ConfigError(
      'WEBHOOK_RETRY_SCHEDULE_MS',
      'expected up to 20 comma-separated delays in milliseconds',
    );
  }
  return {
    allowPrivateUrls: allow === 'true',
    timeoutMs: readInt(env, 'WEBHOOK_TIMEOUT_MS', 15_000, 100, 60_000),
    retryScheduleMs: schedule.length > 0 ? schedule.map(Number) : STANDARD_RETRY_SCHEDULE_MS,
    endpointConcurrency: readInt(env, 'WEBHOOK_ENDPOINT_CONCURRENCY', 10, 1, 1_000),
    endpointRatePerSecond: readInt(env, 'WEBHOOK_ENDPOINT_RATE_PER_SECOND', 100, 1, 100_000),
    workerConcurrency: readInt(env, 'WEBHOOK_WORKER_CONCURRENCY', 50, 1, 1_000),
  };
}
