import {
  decideAfterAttempt,
  nextAttemptDelay,
  normaliseEventTypes,
  parseRetryAfter,
  parseWebhookUrl,
  shouldDisableFailingEndpoint,
  STANDARD_RETRY_SCHEDULE_MS,
  subscribes,
  WEBHOOK_EVENT_CATALOGUE,
  WEBHOOK_EVENT_TYPES,
  webhookBody,
} from './index';

const now = new Date('2026-12-04T00:00:00Z');

describe('retry schedule', () => {
  it('follows Standard Webhooks: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h', () => {
    const exact = () => 0.5;
    const delays = STANDARD_RETRY_SCHEDULE_MS.map((_, n) => nextAttemptDelay(n, { random: exact }));
    expect(delays).toEqual([
      0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
    ]);
    expect(nextAttemptDelay(STANDARD_RETRY_SCHEDULE_MS.length, { random: exact })).toBeNull();
  });

  it('adds up to ±10% jitter', () => {
    expect(nextAttemptDelay(2, { random: () => 0 })).toBe(270_000);
    expect(nextAttemptDelay(2, { random: () => 1 })).toBe(330_000);
  });

  it('never retries earlier than Retry-After, capped at a day', () => {
    expect(nextAttemptDelay(1, { retryAfterMs: 120_000, random: () => 0.5 })).toBe(120_000);
    expect(nextAttemptDelay(3, { retryAfterMs: 120_000, random: () => 0.5 })).toBe(1_800_000);
    expect(nextAttemptDelay(1, { retryAfterMs: 10 * 86_400_000, random: () => 0.5 })).toBe(86_400_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now.getTime() + 60_000).toUTCString(), now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('delivery decisions', () => {
  const options = { now, random: () => 0.5 };

  it('2xx delivers, 410 disables the endpoint', () => {
    expect(decideAfterAttempt({ status: 204 }, 1, options)).toEqual({ kind: 'delivered' });
    expect(decideAfterAttempt({ status: 410 }, 1, options).kind).toBe('disable-endpoint');
  });

  it('retries other statuses, redirects and network errors on the schedule, then gives up', () => {
    expect(decideAfterAttempt({ status: 500 }, 1, options)).toEqual({ kind: 'retry', delayMs: 5_000 });
    expect(decideAfterAttempt({ status: 301 }, 2, options)).toEqual({ kind: 'retry', delayMs: 300_000 });
    expect(decideAfterAttempt({ error: 'ECONNREFUSED' }, 1, options)).toEqual({
      kind: 'retry',
      delayMs: 5_000,
    });
    expect(decideAfterAttempt({ status: 500 }, 10, options)).toEqual({ kind: 'give-up' });
  });

  it('honours Retry-After only on 429/502/503/504', () => {
    expect(decideAfterAttempt({ status: 429, retryAfter: '600' }, 1, options)).toEqual({
      kind: 'retry',
      delayMs: 600_000,
    });
    expect(decideAfterAttempt({ status: 503, retryAfter: '600' }, 1, options)).toEqual({
      kind: 'retry',
      delayMs: 600_000,
    });
    expect(decideAfterAttempt({ status: 500, retryAfter: '600' }, 1, options)).toEqual({
      kind: 'retry',
      delayMs: 5_000,
    });
  });

  it('disables an endpoint failing for 5 days, not before', () => {
    expect(shouldDisableFailingEndpoint(null, now)).toBe(false);
    expect(shouldDisableFailingEndpoint(new Date(now.getTime() - 5 * 86_400_000 + 1000), now)).toBe(false);
    expect(shouldDisableFailingEndpoint(new Date(now.getTime() - 5 * 86_400_000), now)).toBe(true);
  });
});

describe('endpoint URLs', () => {
  it('accepts https on 443 and refuses http, odd ports and credentials unless private URLs are allowed', () => {
    expect(parseWebhookUrl('https://hooks.example.com/in', { allowPrivate: false }).loopbackOnly).toBe(false);
    expect(() => parseWebhookUrl('http://hooks.example.com/in', { allowPrivate: false })).toThrow(/https/);
    expect(() => parseWebhookUrl('https://hooks.example.com:8443/in', { allowPrivate: false })).toThrow(
      /port/,
    );
    expect(() => parseWebhookUrl('https://u:p@hooks.example.com/', { allowPrivate: false })).toThrow(
      /credentials/,
    );
    expect(() => parseWebhookUrl('ftp://hooks.example.com/', { allowPrivate: true })).toThrow(/https/);
    expect(() => parseWebhookUrl('not a url', { allowPrivate: true })).toThrow(/valid URL/);
    const local = parseWebhookUrl('http://[::1]:8080/in', { allowPrivate: true });
    expect(local).toMatchObject({ host: '::1', port: 8080, loopbackOnly: true });
  });
});

describe('event catalogue and payloads', () => {
  it('has a schema per type', () => {
    expect(WEBHOOK_EVENT_CATALOGUE.map((e) => e.type)).toEqual([...WEBHOOK_EVENT_TYPES]);
    for (const entry of WEBHOOK_EVENT_CATALOGUE)
      expect(entry.schema).toMatchObject({ properties: { type: { const: entry.type } } });
  });

  it('subscriptions: empty means all; unknown types are refused', () => {
    expect(subscribes([], 'credit.low')).toBe(true);
    expect(subscribes(['user.created'], 'credit.low')).toBe(false);
    expect(normaliseEventTypes(['credit.low', 'credit.low'])).toEqual(['credit.low']);
    expect(() => normaliseEventTypes(['credit.lo'])).toThrow(/unknown event types: credit.lo/);
  });

  it('builds {type, timestamp, data} with ordering key and sequence, under 20 kB', () => {
    const body = webhookBody({
      type: 'credit.low',
      occurredAt: now,
      data: { userId: 'u1' },
      orderingKey: 'u1',
      sequence: 3,
    });
    expect(JSON.parse(body)).toEqual({
      type: 'credit.low',
      timestamp: now.toISOString(),
      data: { userId: 'u1' },
      orderingKey: 'u1',
      sequence: 3,
    });
    expect(() =>
      webhookBody({
        type: 'credit.low',
        occurredAt: now,
        data: { pad: 'x'.repeat(21_000) },
        orderingKey: 'u1',
        sequence: 1,
      }),
    ).toThrow(/exceeds/);
  });
});
