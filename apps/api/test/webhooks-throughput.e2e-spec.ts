import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const EVENTS = 1_000;

/**
 * No event is lost between the outbox and a receiver: 1,000 events committed at once (as contexts
 * write them) arrive as 1,000 distinct messages. Prints deliveries per second and the time from an
 * event's commit to its arrival (figures, not asserted: the machine is shared).
 */
describe('Webhooks: 1,000 outbox events, none lost', () => {
  let api: TestApp;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    api = await startTestApp({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_ENDPOINT_CONCURRENCY: '50',
      WEBHOOK_ENDPOINT_RATE_PER_SECOND: '10000',
    });
  });

  afterAll(async () => {
    await api?.close();
    await receiver.stop();
  });

  it('delivers every one of 1,000 committed events exactly once (per webhook-id)', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const path = `/bulk-${randomUUID()}`;
    dataOf(
      await gql(
        api.url,
        'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        { input: { url: `${receiver.url}${path}`, platformWide: true, eventTypes: ['service.completed'] } },
        admin.accessToken,
      ),
    );
    const arrivals = new Map<string, number>();
    const db = api.app.get(DataSource);
    const users = Array.from({ length: 10 }, () => randomUUID());
    const committedAt = Date.now();
    await db.query(
      `INSERT INTO outbox_event (type, payload, occurred_at)
       SELECT 'service.completed', jsonb_build_object('userId', ($1::uuid[])[1 + n % 10], 'transactionId', gen_random_uuid(), 'service', 'bulk', 'credits', n), now()
         FROM generate_series(1, $2) AS n`,
      [users, EVENTS],
    );
    const received = await eventually(
      async () => {
        for (const request of receiver.at(path))
          if (!arrivals.has(request.headers['webhook-id'] as string))
            arrivals.set(request.headers['webhook-id'] as string, Date.now());
        return arrivals.size;
      },
      (count) => count >= EVENTS,
      180_000,
    );
    expect(received).toBe(EVENTS);
    // Each event once: 1,000 requests, and per user the sequence 1..100 with no gap or repeat.
    expect(receiver.at(path)).toHaveLength(EVENTS);
    const sequences = new Map<string, number[]>();
    for (const request of receiver.at(path)) {
      const body = JSON.parse(request.body) as { orderingKey: string; sequence: number };
      sequences.set(body.orderingKey, [...(sequences.get(body.orderingKey) ?? []), body.sequence]);
    }
    for (const user of users)
      expect((sequences.get(user) ?? []).sort((a, b) => a - b)).toEqual(
        Array.from({ length: EVENTS / 10 }, (_, i) => i + 1),
      );

    const latencies = [...arrivals.values()].map((at) => at - committedAt).sort((a, b) => a - b);
    const seconds = ((latencies.at(-1) ?? 0) - 0) / 1000;
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    console.log(
      `webhooks: ${EVENTS} events → ${(EVENTS / seconds).toFixed(0)} deliveries/s end to end; commit→arrival p50 ${pct(50)} ms, p99 ${pct(99)} ms`,
    );
  }, 240_000);
});
