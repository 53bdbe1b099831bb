import { STANDARD_RETRY_SCHEDULE_MS } from '@sah/domain';
import { readWebhooks } from './webhooks-config';

describe('readWebhooks', () => {
  it('defaults: private URLs refused, 15 s, the Standard Webhooks schedule', () => {
    expect(readWebhooks({})).toEqual({
      allowPrivateUrls: false,
      timeoutMs: 15_000,
      retryScheduleMs: STANDARD_RETRY_SCHEDULE_MS,
      endpointConcurrency: 10,
      endpointRatePerSecond: 100,
      workerConcurrency: 50,
    });
  });

  it('reads a schedule and the private-URL switch', () => {
    const config = readWebhooks({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_SCHEDULE_MS: '0, 100,2000',
    });
    expect(config).toMatchObject({ allowPrivateUrls: true, retryScheduleMs: [0, 100, 2000] });
  });

  it.each([
    [{ WEBHOOK_ALLOW_PRIVATE_URLS: 'yes' }, /WEBHOOK_ALLOW_PRIVATE_URLS=yes \(expected true or false\)/],
    [{ WEBHOOK_RETRY_SCHEDULE_MS: '0,5s' }, /WEBHOOK_RETRY_SCHEDULE_MS/],
    [{ WEBHOOK_TIMEOUT_MS: '0' }, /WEBHOOK_TIMEOUT_MS=0/],
    [{ WEBHOOK_ENDPOINT_CONCURRENCY: '-1' }, /WEBHOOK_ENDPOINT_CONCURRENCY/],
  ])('refuses %j at start', (env, message) => {
    expect(() => readWebhooks(env)).toThrow(message);
  });
});
