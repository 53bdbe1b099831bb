import { randomUUID } from 'node:crypto';
import { Browser } from './support/browser';
import { FakeGoogle, GOOGLE_ACCOUNT_COOKIE } from './support/fake-google';
import { FakeStripe } from './support/fake-stripe';
import { timed } from './support/gray-failure';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, uniqueEmail } from './support/identity-fixtures';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, TestApp } from './support/test-app';

const STRIPE_TIMEOUT_MS = 500;
const GOOGLE_TIMEOUT_MS = 500;
/**
 * Room for the rest of the request around the deadlines on a busy 2-core machine (clean clone run 4 took
 * 5.1 s for the Stripe case at load 7.5). Still far under what would end a call without our deadlines
 * (the Stripe SDK's own timeout is 80 s; a silent Google would hold the callback until jest gives up).
 */
const SLACK_MS = 8_000;
/** The app's public URL; the test browser resolves it to wherever the test server listens. */
const APP_URL = 'http://hub.test';

const CHECKOUT =
  'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId url } }';
const PAYMENTS = '{ payments { items { status stripeSessionId } } }';
const URLS = { successUrl: 'https://hub.test/ok', cancelUrl: 'https://hub.test/cancel' };

/**
 * Stripe and Google reached through proxies that can go silent. The app's calls to them give up at
 * their deadlines with a clear answer, leave no half-made payment behind, and work again afterwards.
 */
describe('gray failure: Stripe and Google go silent', () => {
  const stripe = new FakeStripe();
  const google = new FakeGoogle();
  let stripeProxy: TcpProxy;
  let googleProxy: TcpProxy;
  let api: TestApp;

  beforeAll(async () => {
    await Promise.all([stripe.start(), google.start()]);
    stripeProxy = TcpProxy.forUrl(stripe.url, 80);
    googleProxy = TcpProxy.forUrl(google.url, 80);
    await Promise.all([stripeProxy.start(), googleProxy.start()]);
    const googleEnv = google.env();
    api = await startTestApp({
      ...stripe.env(),
      ...googleEnv,
      APP_URL,
      STRIPE_API_BASE: stripeProxy.rewrite(stripe.url),
      STRIPE_TIMEOUT_MS: String(STRIPE_TIMEOUT_MS),
      STRIPE_MAX_NETWORK_RETRIES: '1',
      // The browser still reaches Google's consent page; the app's own calls go through the proxy.
      GOOGLE_TOKEN_URL: googleProxy.rewrite(googleEnv.GOOGLE_TOKEN_URL),
      GOOGLE_USERINFO_URL: googleProxy.rewrite(googleEnv.GOOGLE_USERINFO_URL),
      GOOGLE_TIMEOUT_MS: String(GOOGLE_TIMEOUT_MS),
    });
  });

  afterAll(async () => {
    await api.close();
    await Promise.all([stripeProxy.cut(), googleProxy.cut()]);
    await Promise.all([stripe.stop(), google.stop()]);
  });

  it('answers a checkout DEPENDENCY_UNAVAILABLE within the Stripe deadline, marks the payment failed, and checks out again after', async () => {
    const buyer = await createSignedInUser(api);
    const checkout = () => gql<{ createCheckoutSession: { url: string } }>(api.url, CHECKOUT, { input: { package: 'starter', ...URLS } }, buyer.accessToken);

    stripeProxy.blackhole();
    try {
      const silent = await timed(checkout);
      expect(errorCode(silent.value)).toBe('DEPENDENCY_UNAVAILABLE');
      expect(silent.value.errors?.[0]?.extensions.details).toEqual({ dependency: 'stripe' });
      // One attempt and one network retry, each bounded, with the SDK's short pause between them.
      expect(silent.ms).toBeLessThan(2 * STRIPE_TIMEOUT_MS + 1_000 + SLACK_MS);
      // Credits and packages need no Stripe.
      expect(dataOf(await gql(api.url, '{ creditBalance { balance } creditPackages { code } }', {}, buyer.accessToken))).toBeDefined();
    } finally {
      await stripeProxy.restore({ keepStalled: true });
    }

    const again = dataOf(await checkout()).createCheckoutSession;
    expect(again.url).toMatch(/^https?:\/\//);
    const { payments } = dataOf(await gql<{ payments: { items: { status: string; stripeSessionId: string | null }[] } }>(api.url, PAYMENTS, {}, buyer.accessToken));
    expect(payments.items.map((payment) => payment.status).sort()).toEqual(['FAILED', 'PENDING']);
    expect(payments.items.find((payment) => payment.status === 'FAILED')?.stripeSessionId).toBeNull();
  });

  it('ends a Google sign-in whose token call gets no answer with a 503 page within the deadline, and signs in after', async () => {
    const signInOnce = async () => {
      const account = { sub: `1${randomUUID().replace(/\D/g, '').slice(0, 20)}`, email: uniqueEmail('google'), email_verified: true, name: 'Gray' };
      google.register(account);
      const browser = new Browser({ [APP_URL]: api.url });
      browser.setCookie(google.url, GOOGLE_ACCOUNT_COOKIE, account.sub);
      const start = await browser.open(`${APP_URL}/auth/google`);
      const consent = await browser.open(start.headers.get('location') ?? '');
      return () => browser.open(consent.headers.get('location') ?? '');
    };

    const callback = await signInOnce();
    googleProxy.blackhole();
    try {
      const silent = await timed(callback);
      expect(silent.value.status).toBe(503);
      expect(silent.value.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await silent.value.text()).toContain('Sign-in failed');
      expect(silent.ms).toBeLessThan(GOOGLE_TIMEOUT_MS + SLACK_MS);
    } finally {
      await googleProxy.restore({ keepStalled: true });
    }

    const answered = await (await signInOnce())();
    expect(answered.status).toBe(302);
    expect(answered.headers.get('location')).toMatch(new RegExp(`^${APP_URL}/admin/login\\?code=`));
  });
});
