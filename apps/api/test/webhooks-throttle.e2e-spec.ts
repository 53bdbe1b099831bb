import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const CONCURRENCY = 3;
const RATE_PER_SECOND = 10;

/**
 * One partner's endpoint cannot take more than its share: at most WEBHOOK_ENDPOINT_CONCURRENCY
 * attempts in flight and WEBHOOK_ENDPOINT_RATE_PER_SECOND started per second, however many
 * messages are waiting and however many the worker could run at once (the attempts in flight ask
 * for their slots together).
 */
describe('Webhooks: per-endpoint concurrency and rate limits', () => {
  let api: TestApp;
  let server: http.Server;
  let url = '';
  const holdMs = new Map<string, number>();
  const arrivals = new Map<string, number[]>();
  const inFlight = new Map<string, { now: number; max: number }>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = req.url ?? '/';
      const flight = inFlight.get(path) ?? { now: 0, max: 0 };
      inFlight.set(path, flight);
      flight.now += 1;
      flight.max = Math.max(flight.max, flight.now);
      arrivals.set(path, [...(arrivals.get(path) ?? []), Date.now()]);
      req.resume();
      req.on('end', () =>
        setTimeout(
          () => {
            flight.now -= 1;
            res.writeHead(204).end();
          },
          holdMs.get(path) ?? 0,
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = await startTestApp({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_ENDPOINT_CONCURRENCY: String(CONCURRENCY),
      WEBHOOK_ENDPOINT_RATE_PER_SECOND: String(RATE_PER_SECOND),
      WEBHOOK_WORKER_CONCURRENCY: '50',
    });
  });

  afterAll(async () => {
    await api?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A partner's endpoint at `path`, and `count` of its user's events committed at once. */
  const flood = async (path: string, count: number) => {
    const partner = await createSignedInUser(api);
    dataOf(
      await gql(
        api.url,
        'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        { input: { url: `${url}${path}`, eventTypes: ['service.completed'] } },
        partner.accessToken,
      ),
    );
    await api.app.get(DataSource).query(
      `INSERT INTO outbox_event (type, payload, occurred_at)
       SELECT 'service.completed', jsonb_build_object('userId', $1::uuid, 'transactionId', gen_random_uuid(), 'service', 'throttle', 'credits', n), now()
         FROM generate_series(1, $2) AS n`,
      [partner.userId, count],
    );
    return eventually(
      async () => arrivals.get(path) ?? [],
      (seen) => seen.length >= count,
      60_000,
    );
  };

  it(`keeps at most ${CONCURRENCY} attempts in flight to a slow endpoint`, async () => {
    const path = `/slow-${randomUUID()}`;
    holdMs.set(path, 300);
    expect(await flood(path, 12)).toHaveLength(12);
    expect(inFlight.get(path)?.max).toBeLessThanOrEqual(CONCURRENCY);
  }, 90_000);

  it(`starts at most ${RATE_PER_SECOND} attempts a second to a fast endpoint`, async () => {
    const path = `/fast-${randomUUID()}`;
    const seen = await flood(path, 3 * RATE_PER_SECOND);
    expect(seen).toHaveLength(3 * RATE_PER_SECOND);
    // Slots are counted per clock second when taken; an attempt reaches the receiver a moment later.
    const perSecond = new Map<number, number>();
    for (const at of seen)
      perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(RATE_PER_SECOND + CONCURRENCY);
    // Thirty at ten a second span at least three clock seconds (unthrottled they arrive within one).
    expect(perSecond.size).toBeGreaterThanOrEqual(3);
  }, 90_000);
});
