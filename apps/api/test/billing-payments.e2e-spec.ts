import { Credits, MailSender } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { CheckoutSession, FAKE_STRIPE_SECRET_KEY, FakeStripe } from './support/fake-stripe';
import { FakeSmtp } from './support/fake-smtp';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

type Buyer = Awaited<ReturnType<typeof createSignedInUser>>;

interface PaymentView {
  id: string;
  userId: string;
  packageCode: string;
  credits: number;
  amountCents: number;
  currency: string;
  status: string;
  stripeSessionId: string | null;
  creditedTransactionId: string | null;
  refundedCents: number;
  creditsReversed: number;
  refundShortfall: number;
  flagged: boolean;
}

const PAYMENT_FIELDS =
  'id userId packageCode credits amountCents currency status stripeSessionId creditedTransactionId refundedCents creditsReversed refundShortfall flagged';
const CHECKOUT =
  'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId url paymentId } }';
const PACKAGES =
  'query ($all: Boolean!) { creditPackages(includeInactive: $all) { id code name credits priceCents currency active } }';
const UPDATE_PACKAGE =
  'mutation ($input: UpdateCreditPackageInput!) { updateCreditPackage(input: $input) { id code name credits priceCents currency active } }';
const PAYMENTS = `query ($filter: PaymentsFilterInput) { payments(filter: $filter) { items { ${PAYMENT_FIELDS} } pageInfo { total } } }`;
const SUCCESS_URL = 'https://hub.test/admin/account?checkout=success&session={CHECKOUT_SESSION_ID}';
const CANCEL_URL = 'https://hub.test/admin/account?checkout=cancelled';

const codeOf = (result: GraphqlResult<unknown>) => errorCode(result as GraphqlResult);

describe('billing: Stripe top-ups (the real stripe SDK against a local fake Stripe)', () => {
  const stripe = new FakeStripe();
  const smtp = new FakeSmtp();
  let api: TestApp;
  let db: DataSource;
  let admin: Buyer;

  beforeAll(async () => {
    await Promise.all([stripe.start(), smtp.start()]);
    api = await startTestApp({ ...stripe.env(), SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' });
    db = api.app.get(DataSource);
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([stripe.stop(), smtp.stop()]);
  });

  /** A package of this test's own, so edits never touch the seeded ones. */
  async function testPackage(values: { credits?: number; priceCents?: number; active?: boolean } = {}) {
    const code = `test-${randomUUID().slice(0, 8)}`;
    const rows = (await db.query(
      `INSERT INTO credit_package (code, name, credits, price_cents, currency, active) VALUES ($1, $2, $3, $4, 'usd', $5) RETURNING id`,
      [
        code,
        `Test ${code}`,
        Credits.whole(values.credits ?? 50).millis.toString(),
        values.priceCents ?? 500,
        values.active ?? true,
      ],
    )) as Array<{ id: string }>;
    const [row] = rows;
    if (!row) throw new Error('no package inserted');
    return { id: row.id, code };
  }

  async function checkout(buyer: Buyer, creditPackage = 'starter') {
    return dataOf(
      await gql<{ createCheckoutSession: { sessionId: string; url: string; paymentId: string } }>(
        api.url,
        CHECKOUT,
        { input: { package: creditPackage, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL } },
        buyer.accessToken,
      ),
    ).createCheckoutSession;
  }

  function restCheckout(body: unknown, bearer?: string) {
    return fetch(`${api.url}/api/v1/payments/checkout`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  /** Delivers a payload to the webhook the way Stripe does: raw JSON, signed (unless told otherwise). */
  async function deliver(payload: string, signature: string | null = FakeStripe.sign(payload)) {
    const response = await fetch(`${api.url}/api/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(signature !== null ? { 'stripe-signature': signature } : {}),
      },
      body: payload,
    });
    return {
      status: response.status,
      body: (await response.json()) as { received?: boolean; error?: { code: string } },
    };
  }

  async function deliverOk(payload: string) {
    const delivered = await deliver(payload);
    expect(delivered).toEqual({ status: 200, body: { received: true } });
  }

  async function balanceOf(buyer: Buyer): Promise<number> {
    const result = await gql<{ creditBalance: { balance: number } }>(
      api.url,
      '{ creditBalance { balance } }',
      {},
      buyer.accessToken,
    );
    return dataOf(result).creditBalance.balance;
  }

  async function paymentsOf(bearer: string, filter: Record<string, unknown> = {}) {
    return dataOf(
      await gql<{ payments: { items: PaymentView[]; pageInfo: { total: number } } }>(
        api.url,
        PAYMENTS,
        { filter },
        bearer,
      ),
    ).payments;
  }

  async function paymentOf(buyer: Buyer, paymentId: string): Promise<PaymentView> {
    const found = (await paymentsOf(buyer.accessToken)).items.find((payment) => payment.id === paymentId);
    if (!found) throw new Error(`payment ${paymentId} not listed`);
    return found;
  }

  async function ledgerRows(userId: string) {
    return (await db.query(
      `SELECT type, amount::text, metadata FROM ledger_transaction WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    )) as Array<{ type: string; amount: string; metadata: Record<string, unknown> }>;
  }

  /** A buyer whose Starter checkout Stripe reports paid (not yet delivered). */
  async function paidStarter() {
    const buyer = await createSignedInUser(api, 'USER');
    const started = await checkout(buyer);
    return { buyer, started, session: stripe.completedSession(started.sessionId) };
  }

  async function settledStarter() {
    const bought = await paidStarter();
    await deliverOk(stripe.event('checkout.session.completed', bought.session));
    expect(await balanceOf(bought.buyer)).toBe(100);
    return bought;
  }

  describe('credit packages', () => {
    it('shows every signed-in user the active packages, seeded Starter, Pro and Business', async () => {
      const user = await createSignedInUser(api, 'USER');
      const withdrawn = await testPackage({ active: false });
      const listed = dataOf(
        await gql<{ creditPackages: Array<Record<string, unknown>> }>(
          api.url,
          PACKAGES,
          { all: false },
          user.accessToken,
        ),
      ).creditPackages;
      const seeded = listed.filter((p) => ['starter', 'pro', 'business'].includes(String(p['code'])));
      expect(seeded.map(({ id: _id, ...rest }) => rest)).toEqual([
        { code: 'starter', name: 'Starter', credits: 100, priceCents: 1000, currency: 'usd', active: true },
        { code: 'pro', name: 'Pro', credits: 1000, priceCents: 8000, currency: 'usd', active: true },
        {
          code: 'business',
          name: 'Business',
          credits: 10000,
          priceCents: 60000,
          currency: 'usd',
          active: true,
        },
      ]);
      expect(listed.every((p) => p['active'] === true)).toBe(true);
      expect(listed.map((p) => p['code'])).not.toContain(withdrawn.code);

      const all = dataOf(
        await gql<{ creditPackages: Array<{ code: string }> }>(
          api.url,
          PACKAGES,
          { all: true },
          admin.accessToken,
        ),
      ).creditPackages;
      expect(all.map((p) => p.code)).toContain(withdrawn.code);
      expect(codeOf(await gql(api.url, PACKAGES, { all: true }, user.accessToken))).toBe('FORBIDDEN');
      expect(codeOf(await gql(api.url, PACKAGES, { all: false }))).toBe('UNAUTHENTICATED');
    });

    it('lets billing administrators edit a package, and nobody else', async () => {
      const own = await testPackage();
      const user = await createSignedInUser(api, 'USER');
      const manager = await createSignedInUser(api, 'MANAGER');
      const change = { id: own.id, name: 'Starter plus', credits: 250.5, priceCents: 2000, active: false };
      expect(codeOf(await gql(api.url, UPDATE_PACKAGE, { input: change }, user.accessToken))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await gql(api.url, UPDATE_PACKAGE, { input: change }, manager.accessToken))).toBe(
        'FORBIDDEN',
      );

      const updated = dataOf(
        await gql<{ updateCreditPackage: unknown }>(
          api.url,
          UPDATE_PACKAGE,
          { input: change },
          admin.accessToken,
        ),
      );
      expect(updated.updateCreditPackage).toEqual({ ...change, code: own.code, currency: 'usd' });
      const audit = (await db.query(
        `SELECT actor_id FROM identity_audit_log WHERE action = 'billing.package_updated' AND target_id = $1`,
        [own.id],
      )) as unknown[];
      expect(audit).toHaveLength(1);

      const refused = async (input: Record<string, unknown>) =>
        codeOf(await gql(api.url, UPDATE_PACKAGE, { input }, admin.accessToken));
      expect(await refused({ id: own.id, credits: 1.2345 })).toBe('BAD_USER_INPUT');
      expect(await refused({ id: own.id, credits: 0 })).toBe('BAD_USER_INPUT');
      expect(await refused({ id: own.id, priceCents: 10 })).toBe('BAD_USER_INPUT');
      expect(await refused({ id: own.id, name: '   ' })).toBe('BAD_USER_INPUT');
      expect(await refused({ id: own.id })).toBe('BAD_USER_INPUT');
      expect(await refused({ id: own.id, surprise: true })).toBe('BAD_USER_INPUT');
      expect(await refused({ id: randomUUID(), active: true })).toBe('NOT_FOUND');
    });
  });

  describe('checkout', () => {
    it('opens a Checkout Session through the SDK, naming the user, package and payment', async () => {
      const buyer = await createSignedInUser(api, 'USER');
      const started = await checkout(buyer);
      expect(started.sessionId).toMatch(/^cs_test_/);
      expect(started.url).toBe(`https://checkout.stripe.com/c/pay/${started.sessionId}`);

      const [request] = stripe.sessionCreations().slice(-1);
      if (!request) throw new Error('Stripe received no session');
      expect(request.headers.authorization).toBe(`Bearer ${FAKE_STRIPE_SECRET_KEY}`);
      expect(request.headers['idempotency-key']).toBe(`checkout-${started.paymentId}`);
      expect(request.headers['user-agent']).toMatch(/^Stripe\/v1 NodeBindings/);
      expect(request.params).toMatchObject({
        mode: 'payment',
        client_reference_id: buyer.userId,
        customer_email: buyer.email,
        success_url: SUCCESS_URL,
        cancel_url: CANCEL_URL,
        metadata: { userId: buyer.userId, packageCode: 'starter', paymentId: started.paymentId },
        line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '1000' } }],
      });

      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({
        userId: buyer.userId,
        packageCode: 'starter',
        credits: 100,
        amountCents: 1000,
        currency: 'usd',
        status: 'PENDING',
        stripeSessionId: started.sessionId,
        creditedTransactionId: null,
      });
    });

    it('answers REST callers with the envelope, by package code or id', async () => {
      const buyer = await createSignedInUser(api, 'USER');
      const packages = dataOf(
        await gql<{ creditPackages: Array<{ id: string; code: string }> }>(
          api.url,
          PACKAGES,
          { all: false },
          buyer.accessToken,
        ),
      );
      const pro = packages.creditPackages.find((p) => p.code === 'pro');
      const response = await restCheckout(
        { package: pro?.id, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL },
        buyer.accessToken,
      );
      expect(response.status).toBe(201);
      const body = (await response.json()) as {
        data: { sessionId: string; url: string };
        meta: { request_id: string; timestamp: string };
      };
      expect(body.data.sessionId).toMatch(/^cs_test_/);
      expect(body.data.url).toContain(body.data.sessionId);
      expect(body.meta.request_id).toBe(response.headers.get('x-request-id'));
      expect(stripe.sessions.get(body.data.sessionId)).toMatchObject({
        amount_total: 8000,
        metadata: { packageCode: 'pro' },
      });
    });

    it('refuses unknown or withdrawn packages and redirect URLs that are not http(s), before calling Stripe', async () => {
      const buyer = await createSignedInUser(api, 'USER');
      const withdrawn = await testPackage({ active: false });
      const before = stripe.sessionCreations().length;
      const attempt = (input: Record<string, unknown>) =>
        gql(
          api.url,
          CHECKOUT,
          { input: { package: 'starter', successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL, ...input } },
          buyer.accessToken,
        );

      expect(codeOf(await attempt({ package: 'platinum' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await attempt({ package: randomUUID() }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await attempt({ package: withdrawn.code }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await attempt({ successUrl: 'javascript:alert(1)' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await attempt({ cancelUrl: 'ftp://hub.test/' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await attempt({ successUrl: '/relative' }))).toBe('BAD_USER_INPUT');

      const rest = await restCheckout(
        { package: 'platinum', successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL },
        buyer.accessToken,
      );
      expect(rest.status).toBe(400);
      expect(((await rest.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
      const extra = await restCheckout(
        { package: 'starter', successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL, price: 1 },
        buyer.accessToken,
      );
      expect(extra.status).toBe(400);
      expect(
        (await restCheckout({ package: 'starter', successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL })).status,
      ).toBe(401);
      expect(stripe.sessionCreations()).toHaveLength(before);
    });

    it('reports Stripe refusing the session as SERVICE_UNAVAILABLE and keeps the payment as failed', async () => {
      const buyer = await createSignedInUser(api, 'USER');
      stripe.failNext(400, {
        type: 'invalid_request_error',
        message: 'Amount must be at least $0.50 usd',
        code: 'amount_too_small',
      });
      const result = await gql(
        api.url,
        CHECKOUT,
        { input: { package: 'starter', successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL } },
        buyer.accessToken,
      );
      expect(codeOf(result)).toBe('SERVICE_UNAVAILABLE');
      const { items } = await paymentsOf(buyer.accessToken);
      expect(items).toEqual([expect.objectContaining({ status: 'FAILED', stripeSessionId: null })]);
    });

    it('says plainly that Stripe is not configured when it is not', async () => {
      const bare = await startTestApp();
      try {
        const buyer = await createSignedInUser(bare, 'USER');
        const result = await gql(
          bare.url,
          CHECKOUT,
          { input: { package: 'starter', successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL } },
          buyer.accessToken,
        );
        expect(codeOf(result)).toBe('SERVICE_UNAVAILABLE');
        expect(result.errors?.[0]?.message).toBe('Stripe is not configured');
        const payload = stripe.event('checkout.session.completed', {
          id: 'cs_test_unknown',
          object: 'checkout.session',
        });
        const webhook = await fetch(`${bare.url}/api/v1/payments/stripe/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': FakeStripe.sign(payload) },
          body: payload,
        });
        expect(webhook.status).toBe(503);
      } finally {
        await bare.close();
      }
    });
  });

  describe('webhook', () => {
    it('grants the credits once for checkout.session.completed delivered 10 times, some concurrently, and mails one receipt', async () => {
      const { buyer, started, session } = await paidStarter();
      const retried = stripe.event('checkout.session.completed', session);
      // Stripe retries with the same event id; a duplicate event may also carry a new one.
      const duplicate = () => stripe.event('checkout.session.completed', session);
      await Promise.all([retried, retried, duplicate(), duplicate()].map(deliverOk));
      for (const payload of [retried, duplicate(), retried]) await deliverOk(payload);
      await Promise.all([retried, duplicate(), duplicate()].map(deliverOk));

      expect(await balanceOf(buyer)).toBe(100);
      const purchases = (await ledgerRows(buyer.userId)).filter((row) => row.type === 'purchase');
      expect(purchases).toHaveLength(1);
      expect(purchases[0]).toMatchObject({
        amount: '100000',
        metadata: { paymentId: started.paymentId, stripeSessionId: started.sessionId },
      });
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({
        status: 'PAID',
        creditedTransactionId: expect.any(String),
      });

      const receipt = await smtp.waitFor(buyer.email, /receipt/);
      const text = FakeSmtp.decoded(receipt);
      expect(text).toContain('Package: Starter');
      expect(text).toContain('Credits: 100');
      expect(text).toContain('Amount paid: 10.00 USD');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(
        smtp.messages.filter(
          (mail) => mail.to.includes(buyer.email.toLowerCase()) && /receipt/.test(mail.subject),
        ),
      ).toHaveLength(1);
    });

    it('answers 400 to a missing, wrong, stale or tampered signature and grants nothing', async () => {
      const { buyer, started, session } = await paidStarter();
      const payload = stripe.event('checkout.session.completed', session);
      const tampered = payload.replace(started.sessionId, `${started.sessionId}x`);
      const stale = Math.floor(Date.now() / 1000) - 3600;
      for (const signature of [
        null,
        '',
        'garbage',
        FakeStripe.sign(payload, 'whsec_not_the_secret'),
        FakeStripe.sign(payload, undefined, stale),
        FakeStripe.sign(tampered),
      ]) {
        const delivered = await deliver(payload, signature);
        expect(delivered.status).toBe(400);
        expect(delivered.body.error?.code).toBe('BAD_USER_INPUT');
      }
      expect(await balanceOf(buyer)).toBe(0);
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({ status: 'PENDING' });
    });

    it('waits for an asynchronous payment, grants it once on success, and ignores late or repeated news', async () => {
      const buyer = await createSignedInUser(api, 'USER');
      const started = await checkout(buyer);
      const submitted = stripe.completedSession(started.sessionId, 'unpaid');
      await deliverOk(stripe.event('checkout.session.completed', submitted));
      expect(await balanceOf(buyer)).toBe(0);
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({ status: 'PENDING' });

      const paid = stripe.completedSession(started.sessionId, 'paid');
      const succeeded = stripe.event('checkout.session.async_payment_succeeded', paid);
      await Promise.all([deliverOk(succeeded), deliverOk(succeeded)]);
      expect(await balanceOf(buyer)).toBe(100);

      await deliverOk(stripe.event('checkout.session.completed', submitted));
      await deliverOk(stripe.event('checkout.session.completed', paid));
      await deliverOk(stripe.event('checkout.session.async_payment_succeeded', paid));
      await deliverOk(stripe.event('checkout.session.async_payment_failed', submitted));
      await deliverOk(stripe.event('checkout.session.expired', stripe.expiredSession(started.sessionId)));
      expect(await balanceOf(buyer)).toBe(100);
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({ status: 'PAID' });
      expect((await ledgerRows(buyer.userId)).filter((row) => row.type === 'purchase')).toHaveLength(1);
    });

    it('marks a failed asynchronous payment failed and an abandoned checkout expired, granting nothing', async () => {
      const buyer = await createSignedInUser(api, 'USER');
      const failing = await checkout(buyer);
      const submitted = stripe.completedSession(failing.sessionId, 'unpaid');
      await deliverOk(stripe.event('checkout.session.completed', submitted));
      await deliverOk(stripe.event('checkout.session.async_payment_failed', submitted));
      const abandoned = await checkout(buyer);
      await deliverOk(stripe.event('checkout.session.expired', stripe.expiredSession(abandoned.sessionId)));

      expect(await balanceOf(buyer)).toBe(0);
      expect(await paymentOf(buyer, failing.paymentId)).toMatchObject({ status: 'FAILED' });
      expect(await paymentOf(buyer, abandoned.paymentId)).toMatchObject({ status: 'EXPIRED' });
    });

    it('takes a refund’s credits back in proportion, each cumulative figure once, whatever the order', async () => {
      const { buyer, started, session } = await settledStarter();
      const half = stripe.refundedCharge(session, 500);
      await Promise.all(
        [half, half, half].map((charge) => deliverOk(stripe.event('charge.refunded', charge))),
      );
      expect(await balanceOf(buyer)).toBe(50);
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({
        status: 'PARTIALLY_REFUNDED',
        refundedCents: 500,
        creditsReversed: 50,
      });

      await deliverOk(stripe.event('charge.refunded', stripe.refundedCharge(session, 1000)));
      // The earlier figure arriving late changes nothing.
      await deliverOk(stripe.event('charge.refunded', half));
      expect(await balanceOf(buyer)).toBe(0);
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({
        status: 'REFUNDED',
        refundedCents: 1000,
        creditsReversed: 100,
        refundShortfall: 0,
        flagged: false,
      });
      const chargebacks = (await ledgerRows(buyer.userId)).filter((row) => row.type === 'chargeback');
      expect(chargebacks.map((row) => row.amount)).toEqual(['-50000', '-50000']);
    });

    it('takes back only what the balance still holds and flags the shortfall', async () => {
      const { buyer, started, session } = await settledStarter();
      await api.app
        .get(LedgerService)
        .debit({ userId: buyer.userId, amount: Credits.whole(70), type: 'usage', reason: 'spent it' });
      await deliverOk(stripe.event('charge.refunded', stripe.refundedCharge(session, 1000)));

      expect(await balanceOf(buyer)).toBe(0);
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({
        status: 'REFUNDED',
        creditsReversed: 30,
        refundShortfall: 70,
        flagged: true,
      });
      const [chargeback] = (await ledgerRows(buyer.userId)).filter((row) => row.type === 'chargeback');
      expect(chargeback).toMatchObject({
        amount: '-30000',
        metadata: { paymentId: started.paymentId, creditsOwed: 100, shortfall: 70 },
      });
      const flagged = await paymentsOf(admin.accessToken, { flagged: true, userId: buyer.userId });
      expect(flagged.items.map((payment) => payment.id)).toEqual([started.paymentId]);

      // Nothing left to take: a second refund figure is all shortfall and posts nothing.
      const richer = await settledStarter();
      await api.app
        .get(LedgerService)
        .debit({ userId: richer.buyer.userId, amount: Credits.whole(100), type: 'usage' });
      await deliverOk(stripe.event('charge.refunded', stripe.refundedCharge(richer.session, 250)));
      expect(await paymentOf(richer.buyer, richer.started.paymentId)).toMatchObject({
        refundShortfall: 25,
        creditsReversed: 0,
        flagged: true,
      });
      expect((await ledgerRows(richer.buyer.userId)).filter((row) => row.type === 'chargeback')).toHaveLength(
        0,
      );
    });

    it('keeps a refund that arrives before its payment is settled, and applies it on settlement', async () => {
      const { buyer, started, session } = await paidStarter();
      await deliverOk(stripe.event('charge.refunded', stripe.refundedCharge(session, 1000)));
      expect(await balanceOf(buyer)).toBe(0);
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({ status: 'PENDING' });

      await deliverOk(stripe.event('checkout.session.completed', session));
      expect(await balanceOf(buyer)).toBe(0);
      expect(await paymentOf(buyer, started.paymentId)).toMatchObject({
        status: 'REFUNDED',
        creditsReversed: 100,
      });
      expect((await ledgerRows(buyer.userId)).map((row) => [row.type, row.amount])).toEqual([
        ['purchase', '100000'],
        ['chargeback', '-100000'],
      ]);
      const parked = (await db.query(
        `SELECT count(*)::int AS n FROM stripe_event WHERE status = 'parked' AND payment_intent = $1`,
        [session.payment_intent],
      )) as Array<{ n: number }>;
      expect(parked).toEqual([{ n: 0 }]);
    });

    it('acknowledges event types it does not handle, and events for sessions it did not open', async () => {
      await deliverOk(
        stripe.event('payment_intent.created', { id: 'pi_unrelated', object: 'payment_intent' }),
      );
      const foreign: CheckoutSession = {
        id: 'cs_test_foreign',
        amount_total: 1000,
        currency: 'usd',
        metadata: {},
        payment_intent: 'pi_foreign',
        payment_status: 'paid',
        status: 'complete',
      };
      await deliverOk(stripe.event('checkout.session.completed', foreign));
    });

    it('keeps the grant when the receipt mail fails, and sends the receipt on a later try', async () => {
      const { buyer, started, session } = await paidStarter();
      const mailer = api.app.get(MailSender);
      const realSend = mailer.send.bind(mailer);
      const attempts: string[] = [];
      const send = jest.spyOn(mailer, 'send').mockImplementation(async (mail) => {
        if (mail.to !== buyer.email) return realSend(mail);
        attempts.push(mail.subject);
        if (attempts.length === 1) throw new Error('SMTP is down');
        return realSend(mail);
      });
      try {
        await deliverOk(stripe.event('checkout.session.completed', session));
        expect(await balanceOf(buyer)).toBe(100);
        expect(await paymentOf(buyer, started.paymentId)).toMatchObject({ status: 'PAID' });
        await smtp.waitFor(buyer.email, /receipt/, 10_000);
        expect(attempts).toHaveLength(2);
      } finally {
        send.mockRestore();
      }
    });
  });

  describe('payments list', () => {
    it('shows billing administrators every payment with filters, and users only their own', async () => {
      const { buyer, started } = await settledStarter();
      const other = await createSignedInUser(api, 'USER');
      await checkout(other);

      const mine = await paymentsOf(buyer.accessToken);
      expect(mine.items.map((payment) => payment.id)).toEqual([started.paymentId]);
      expect(
        codeOf(await gql(api.url, PAYMENTS, { filter: { userId: other.userId } }, buyer.accessToken)),
      ).toBe('FORBIDDEN');

      const paid = await paymentsOf(admin.accessToken, { userId: buyer.userId, status: 'PAID' });
      expect(paid.items.map((payment) => payment.id)).toEqual([started.paymentId]);
      expect((await paymentsOf(admin.accessToken, { userId: other.userId, status: 'PAID' })).items).toEqual(
        [],
      );
      expect((await paymentsOf(admin.accessToken, { userId: other.userId })).items).toEqual([
        expect.objectContaining({ userId: other.userId, status: 'PENDING' }),
      ]);
      expect((await paymentsOf(admin.accessToken)).pageInfo.total).toBeGreaterThanOrEqual(2);
    });
  });
});
