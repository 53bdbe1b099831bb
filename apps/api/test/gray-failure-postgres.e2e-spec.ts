import { cloneTestDatabase } from '@sah/infrastructure/testing';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { createPartnerKey, fund, partner } from './support/billing-fixtures';
import { health, timed, unpublishedOutboxEvents } from './support/gray-failure';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { TcpProxy } from './support/tcp-proxy';
import { eventually, requiredEnv, startTestApp, TestApp } from './support/test-app';

const ACQUIRE_TIMEOUT_MS = 500;
const STATEMENT_TIMEOUT_MS = 600;
/** The client's read deadline: the statement timeout plus its grace for a silent server. */
const QUERY_DEADLINE_MS = STATEMENT_TIMEOUT_MS + 500;
const HEALTH_CHECK_TIMEOUT_MS = 300;
/** Room for the rest of the request around the deadlines on a busy 2-core machine. */
const SLACK_MS = 1_500;

/**
 * PostgreSQL that accepts connections and then says nothing. Requests that need it answer within
 * their deadlines (waiting for a pooled connection, then the statement) instead of hanging; no
 * request keeps a pool connection past that, and the pool heals when the server answers again.
 */
describe('gray failure: PostgreSQL goes silent', () => {
  let database: { url: string; drop: () => Promise<void> };
  let postgres: TcpProxy;
  let api: TestApp;
  let pool: Pool;

  /** How long each connection was out of the pool (requests and background jobs alike), and which are out now. */
  const checkouts = { done: [] as number[], open: new Map<unknown, number>() };
  const longestCheckoutMs = () => Math.max(0, ...checkouts.done, ...[...checkouts.open.values()].map((since) => Date.now() - since));
  const trackCheckouts = () => {
    const end = (client: unknown) => {
      const since = checkouts.open.get(client);
      if (since === undefined) return;
      checkouts.done.push(Date.now() - since);
      checkouts.open.delete(client);
    };
    pool.on('acquire', (client) => checkouts.open.set(client, Date.now()));
    pool.on('release', (_error, client) => end(client));
    pool.on('remove', (client) => end(client));
  };

  beforeAll(async () => {
    database = await cloneTestDatabase(requiredEnv('TEST_TEMPLATE_DATABASE_URL'));
    postgres = TcpProxy.forUrl(database.url, 5432);
    await postgres.start();
    api = await startTestApp({
      DATABASE_URL: postgres.rewrite(database.url),
      DATABASE_POOL_MAX: '4',
      DATABASE_POOL_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_LOCK_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      HEALTH_CHECK_TIMEOUT_MS: String(HEALTH_CHECK_TIMEOUT_MS),
      // The background monitor stays out of the pool counts; /health itself checks on every call.
      HEALTH_POLL_INTERVAL_MS: '600000',
    });
    pool = (api.app.get(DataSource).driver as PostgresDriver).master as Pool;
    trackCheckouts();
  });

  afterAll(async () => {
    // The test restored traffic; the connections it left silent were dropped by the pool already.
    await api.close();
    await postgres.cut();
    await database.drop();
  });

  it('answers DEPENDENCY_UNAVAILABLE within the deadlines, holds no connection past them, and the pool recovers', async () => {
    const user = await createSignedInUser(api);
    const partnerKey = await createPartnerKey(api);
    await fund(api, user.userId, 10);
    const balanceQuery = () => gql<{ creditBalance: { balance: number } }>(api.url, '{ creditBalance { balance } }', {}, user.accessToken);

    postgres.blackhole();
    try {
      // Twice as many requests as the pool has connections: some wait for one, the rest for the server.
      const calls = await Promise.all([
        ...Array.from({ length: 4 }, () => timed(balanceQuery)),
        ...Array.from({ length: 4 }, () =>
          timed(async () => {
            const answer = await partner(api, 'check', { service: 'gray', cost: 1 }, { bearer: partnerKey, userId: user.userId });
            return { status: answer.status, code: answer.body.error?.code };
          }),
        ),
      ]);
      for (const call of calls.slice(0, 4)) expect(errorCode(call.value as Awaited<ReturnType<typeof balanceQuery>>)).toBe('DEPENDENCY_UNAVAILABLE');
      for (const call of calls.slice(4)) expect(call.value).toEqual({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
      for (const call of calls) expect(call.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + QUERY_DEADLINE_MS + SLACK_MS);

      const down = await timed(() => health(api));
      expect(down.value).toEqual({ status: 503, body: { status: 'error', checks: { database: 'down', redis: 'up' } } });
      expect(down.ms).toBeLessThan(HEALTH_CHECK_TIMEOUT_MS + SLACK_MS);

      // What needs no database keeps working.
      const asset = await fetch(`${api.url}/auth/assets/verified-session.js`);
      expect(asset.status).toBe(200);
      expect(dataOf(await gql<{ __typename: string }>(api.url, '{ __typename }'))).toEqual({ __typename: 'Query' });
    } finally {
      // Like a failover: the connections the blackhole caught stay silent for good, new ones work.
      await postgres.restore({ keepStalled: true });
    }

    // The pool dropped the silent connections instead of handing them out again, and opened new
    // ones: reads and writes work again without a restart.
    const up = await eventually(() => health(api), (answer) => answer.status === 200);
    expect(up.body.checks).toEqual({ database: 'up', redis: 'up' });
    expect(dataOf(await eventually(balanceQuery, (result) => Boolean(result.data))).creditBalance).toBeDefined();
    const deduct = await partner(api, 'deduct', { service: 'gray', cost: 0.001, metadata: {} }, { bearer: partnerKey, userId: user.userId });
    expect(deduct.status).toBe(200);
    // The relay retries a failed event after 1, 2, 4, 8, 16 s: with this test's 600 ms statement timeout a
    // loaded machine can fail a few tries after the recovery, so the drain gets the first five of them.
    expect(await eventually(() => unpublishedOutboxEvents(api.app.get(DataSource)), (left) => left === 0, 45_000)).toBe(0);
    // No connection, of a request or of the outbox relay and jobs polling meanwhile, was held past its deadline.
    expect(checkouts.done.length).toBeGreaterThan(8);
    expect(longestCheckoutMs()).toBeLessThan(QUERY_DEADLINE_MS + SLACK_MS);
  }, 120_000);
});
