import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually, requiredEnv, startTestApp, TestApp } from './support/test-app';
import { TcpProxy } from './support/tcp-proxy';

interface HealthBody {
  status: string;
  checks: { database: string; redis: string };
}

/** The app reaches PostgreSQL and Redis through proxies the test can cut, like a real outage. */
describe('health under dependency outages', () => {
  let postgres: TcpProxy;
  let redis: TcpProxy;
  let api: TestApp;

  const health = async () => {
    const res = await fetch(`${api.url}/health`);
    return { status: res.status, body: (await res.json()) as HealthBody };
  };

  beforeAll(async () => {
    postgres = TcpProxy.forUrl(requiredEnv('TEST_DATABASE_URL'), 5432);
    redis = TcpProxy.forUrl(requiredEnv('TEST_REDIS_URL'), 6379);
    await Promise.all([postgres.start(), redis.start()]);
    api = await startTestApp({
      DATABASE_URL: postgres.rewrite(requiredEnv('TEST_DATABASE_URL')),
      REDIS_URL: redis.rewrite(requiredEnv('TEST_REDIS_URL')),
      HEALTH_POLL_INTERVAL_MS: '200',
      HEALTH_CHECK_TIMEOUT_MS: '1000',
    });
  });

  afterAll(async () => {
    await api.close();
    await Promise.all([postgres.cut(), redis.cut()]);
  });

  it('answers 200 with both dependencies up', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up', redis: 'up' } } });
  });

  it('turns 503 naming redis within 5 s of Redis going away, and 200 again when it is back', async () => {
    await redis.cut();
    const down = await eventually(health, (r) => r.status === 503);
    expect(down).toEqual({ status: 503, body: { status: 'error', checks: { database: 'up', redis: 'down' } } });

    await redis.restore();
    const up = await eventually(health, (r) => r.status === 200);
    expect(up.body.checks).toEqual({ database: 'up', redis: 'up' });
  });

  it('does the same for PostgreSQL', async () => {
    await postgres.cut();
    const down = await eventually(health, (r) => r.status === 503);
    expect(down).toEqual({ status: 503, body: { status: 'error', checks: { database: 'down', redis: 'up' } } });

    await postgres.restore();
    const up = await eventually(health, (r) => r.status === 200);
    expect(up.body.checks).toEqual({ database: 'up', redis: 'up' });
  });

  it('gives GraphQL subscribers the current health, then each change, over graphql-ws', async () => {
    const client: Client = createClient({ url: api.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket });
    const events: HealthBody[] = [];
    const unsubscribe = client.subscribe<{ healthChanged: HealthBody }>(
      { query: 'subscription { healthChanged { status checks { database redis } } }' },
      { next: ({ data }) => data && events.push(data.healthChanged), error: () => undefined, complete: () => undefined },
    );
    try {
      // The monitor's current picture comes first, so the subscription is live; it may still show the
      // previous test's outage, so the outage starts once the picture is all clear.
      const clear = await eventually(async () => events.length - 1, (i) => events[i]?.status === 'ok');
      expect(events[clear]).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
      await redis.cut();
      const down = await eventually(async () => events.findIndex((e, i) => i > clear && e.checks.redis === 'down'), (i) => i >= 0);
      await redis.restore();
      const up = await eventually(async () => events.slice(down + 1).find((e) => e.status === 'ok'), Boolean);

      expect(events[down]).toEqual({ status: 'error', checks: { database: 'up', redis: 'down' } });
      expect(up).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
    } finally {
      unsubscribe();
      await client.dispose();
    }
  });
});
