import { DataSource } from 'typeorm';
import { createPartnerKey, partner } from './support/billing-fixtures';
import { FakeStripe } from './support/fake-stripe';
import { health, timed, unpublishedOutboxEvents } from './support/gray-failure';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { TcpProxy } from './support/tcp-proxy';
import { eventually, requiredEnv, startTestApp, TestApp } from './support/test-app';

const COMMAND_TIMEOUT_MS = 500;
const HEALTH_CHECK_TIMEOUT_MS = 300;
/** Room for the rest of the request around the deadline on a busy 2-core machine. */
const SLACK_MS = 1_500;

const CHECKOUT =
  'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId } }';
const URLS = { successUrl: 'https://hub.test/ok', cancelUrl: 'https://hub.test/cancel' };

/**
 * Redis that accepts connections and then says nothing (a stalled server, dropped packets): every
 * request that needs it answers within the command deadline, those that do not keep working, and
 * the app recovers by itself when Redis answers again.
 */
describe('gray failure: Redis goes silent', () => {
  let redis: TcpProxy;
  let stripe: FakeStripe;
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    redis = TcpProxy.forUrl(requiredEnv('TEST_REDIS_URL'), 6379);
    stripe = new FakeStripe();
    await Promise.all([redis.start(), stripe.start()]);
    api = await startTestApp({
      ...stripe.env(),
      REDIS_URL: redis.rewrite(requiredEnv('TEST_REDIS_URL')),
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      REDIS_CONNECT_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      HEALTH_POLL_INTERVAL_MS: '200',
      HEALTH_CHECK_TIMEOUT_MS: String(HEALTH_CHECK_TIMEOUT_MS),
    });
    db = api.app.get(DataSource);
  });

  afterAll(async () => {
    // Connections a failover left silent are closed first, so the app's shutdown does not wait on them.
    await redis.cut();
    await redis.restore();
    await api.close();
    await Promise.all([redis.cut(), stripe.stop()]);
  });

  it('answers DEPENDENCY_UNAVAILABLE within the deadline, keeps Redis-free work going, and recovers', async () => {
    const buyer = await createSignedInUser(api);
    const partnerKey = await createPartnerKey(api);
    const { sessionId } = dataOf(
      await gql<{ createCheckoutSession: { sessionId: string } }>(api.url, CHECKOUT, { input: { package: 'starter', ...URLS } }, buyer.accessToken),
    ).createCheckoutSession;
    const paid = stripe.event('checkout.session.completed', stripe.completedSession(sessionId));

    redis.blackhole();
    try {
      // GraphQL: the rate limit (and the cached auth state) live in Redis.
      const me = await timed(() => gql(api.url, '{ me { id } }', {}, buyer.accessToken));
      expect(errorCode(me.value)).toBe('DEPENDENCY_UNAVAILABLE');
      expect(me.value.errors?.[0]?.extensions.details).toEqual({ dependency: 'redis' });
      expect(me.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);

      // REST, in the contract's error format.
      const check = await timed(() => partner(api, 'check', { service: 'gray', cost: 1 }, { bearer: partnerKey, userId: buyer.userId }));
      expect(check.value.status).toBe(503);
      expect(check.value.body.error?.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(check.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);

      // /health names Redis, and a single check never waits longer than its own timeout.
      const down = await eventually(() => health(api), (answer) => answer.status === 503);
      expect(down).toEqual({ status: 503, body: { status: 'error', checks: { database: 'up', redis: 'down' } } });
      expect((await timed(() => health(api))).ms).toBeLessThan(HEALTH_CHECK_TIMEOUT_MS + SLACK_MS);

      // Stripe's webhook needs only PostgreSQL: the purchase is credited while Redis is silent.
      const webhook = await fetch(`${api.url}/api/v1/payments/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': FakeStripe.sign(paid) },
        body: paid,
      });
      expect(webhook.status).toBe(200);
    } finally {
      // Like a failover: the connections the blackhole caught stay silent for good, new ones work.
      await redis.restore({ keepStalled: true });
    }

    // Recovery without a restart: the app's client drops its silent connection and opens a new one;
    // nothing was lost.
    const up = await eventually(() => health(api), (answer) => answer.status === 200);
    expect(up.body.checks).toEqual({ database: 'up', redis: 'up' });
    const balance = await eventually(
      () => gql<{ creditBalance: { balance: number } }>(api.url, '{ creditBalance { balance } }', {}, buyer.accessToken),
      (result) => Boolean(result.data),
    );
    expect(dataOf(balance).creditBalance.balance).toBe(100);
    const deduct = await partner(api, 'deduct', { service: 'gray', cost: 1, metadata: {} }, { bearer: partnerKey, userId: buyer.userId });
    expect(deduct.status).toBe(200);
    // Events whose handlers need Redis (mail jobs) were retried until it answered: BullMQ drops its
    // silent connections after 15 s, then the relay's next attempt goes through.
    expect(await eventually(() => unpublishedOutboxEvents(db), (left) => left === 0, 40_000)).toBe(0);
  }, 90_000);
});
