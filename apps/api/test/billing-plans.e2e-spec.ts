import { Credits } from '@sah/domain';
import { verifyLedger } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { LedgerHousekeeping } from '../src/contexts/billing/jobs/ledger-housekeeping';
import { PurgeExpiredRowsHandler } from '../src/maintenance/purge-expired-rows.handler';
import { FakeStripe } from './support/fake-stripe';
import { FakeSubscription } from './support/fake-stripe-billing';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

type Subscriber = Awaited<ReturnType<typeof createSignedInUser>>;

interface PlanView {
  id: string;
  code: string;
  name: string;
  priceCents: number;
  currency: string;
  monthlyCredits: number;
  requestsPerMonth: number | null;
  seats: number;
  stripePriceId: string | null;
  archivedAt: string | null;
}

interface SubscriptionView {
  id: string;
  userId: string;
  planId: string;
  status: string;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: string | null;
  endedAt: string | null;
}

const PLAN_FIELDS = 'id code name priceCents currency monthlyCredits requestsPerMonth seats stripePriceId archivedAt';
const SUBSCRIPTION_FIELDS = 'id userId planId status currentPeriodStart currentPeriodEnd cancelAtPeriodEnd pastDueSince endedAt';
const PLANS = `query ($all: Boolean!) { plans(includeArchived: $all) { ${PLAN_FIELDS} } }`;
const CREATE_PLAN = `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { ${PLAN_FIELDS} } }`;
const UPDATE_PLAN = `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { ${PLAN_FIELDS} } }`;
const ARCHIVE_PLAN = `mutation ($id: ID!) { archivePlan(id: $id) { ${PLAN_FIELDS} } }`;
const SUBSCRIBE =
  'mutation ($input: SubscribeToPlanInput!) { subscribeToPlan(input: $input) { subscriptionId sessionId url } }';
const MY_PLAN = `{ myPlan { plan { code } subscription { ${SUBSCRIPTION_FIELDS} } allowanceGranted allowanceRemaining allowanceUsed graceEndsAt } }`;
const SUBSCRIPTION = `query ($id: ID!) { planSubscription(id: $id) { ${SUBSCRIPTION_FIELDS} } }`;
const CHANGE_PLAN = `mutation ($input: ChangePlanInput!) { changePlan(input: $input) { plan { code } subscription { ${SUBSCRIPTION_FIELDS} } } }`;
const CANCEL = `mutation ($id: ID!) { cancelPlanSubscription(id: $id) { ${SUBSCRIPTION_FIELDS} } }`;
const SUCCESS_URL = 'https://hub.test/admin/account?subscription=success';
const CANCEL_URL = 'https://hub.test/admin/account?subscription=cancelled';
const DAY_MS = 24 * 3600_000;

describe('billing: subscription plans (the real stripe SDK against a local fake Stripe)', () => {
  const stripe = new FakeStripe();
  let api: TestApp;
  let db: DataSource;
  let admin: Subscriber;

  beforeAll(async () => {
    await stripe.start();
    api = await startTestApp(stripe.env());
    db = api.app.get(DataSource);
    admin = await createSignedInUser(api, 'ADMIN');
    stripe.sendEventsTo(`${api.url}/api/v1/payments/stripe/webhook`);
  });
  afterAll(async () => {
    await api.close();
    await stripe.stop();
  });

  const call = <T>(query: string, variables: Record<string, unknown>, bearer: string) =>
    gql<T>(api.url, query, variables, bearer);

  /** A plan of the test's own (so edits and prices never touch the seeded ones), its Stripe price created on first checkout. */
  async function testPlan(values: { priceCents?: number; monthlyCredits?: number; stripePriceId?: string } = {}): Promise<PlanView> {
    return dataOf(
      await call<{ createPlan: PlanView }>(
        CREATE_PLAN,
        {
          input: {
            code: `test-${randomUUID().slice(0, 8)}`,
            name: 'Test plan',
            priceCents: values.priceCents ?? 1900,
            monthlyCredits: values.monthlyCredits ?? 250,
            requestsPerMonth: 10_000,
            seats: 1,
            ...(values.stripePriceId && { stripePriceId: values.stripePriceId }),
          },
        },
        admin.accessToken,
      ),
    ).createPlan;
  }

  async function subscribe(user: Subscriber, plan: string) {
    return call<{ subscribeToPlan: { subscriptionId: string; sessionId: string; url: string } }>(
      SUBSCRIBE,
      { input: { plan, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL } },
      user.accessToken,
    );
  }

  async function deliver(payload: string, signature: string | null = FakeStripe.sign(payload)) {
    const response = await fetch(`${api.url}/api/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature !== null && { 'stripe-signature': signature }) },
      body: payload,
    });
    return { status: response.status, body: (await response.json()) as { received?: boolean; error?: { code: string } } };
  }

  async function deliverOk(payload: string) {
    expect(await deliver(payload)).toEqual({ status: 200, body: { received: true } });
  }

  async function balanceOf(user: Subscriber): Promise<number> {
    return dataOf(await call<{ creditBalance: { balance: number } }>('{ creditBalance { balance } }', {}, user.accessToken)).creditBalance
      .balance;
  }

  async function myPlan(user: Subscriber) {
    return dataOf(
      await call<{
        myPlan: {
          plan: { code: string };
          subscription: SubscriptionView | null;
          allowanceGranted: number;
          allowanceRemaining: number;
          allowanceUsed: number;
          graceEndsAt: string | null;
        };
      }>(MY_PLAN, {}, user.accessToken),
    ).myPlan;
  }

  async function subscriptionOf(bearer: string, id: string) {
    return call<{ planSubscription: SubscriptionView }>(SUBSCRIPTION, { id }, bearer);
  }

  async function allowanceGrants(userId: string) {
    return (await db.query(
      `SELECT amount::text, metadata FROM ledger_transaction WHERE user_id = $1 AND idempotency_scope = 'stripe-invoice' ORDER BY created_at`,
      [userId],
    )) as Array<{ amount: string; metadata: Record<string, unknown> }>;
  }

  /** A subscriber whose checkout for `plan` Stripe completed and whose first invoice was paid and delivered. */
  async function activeSubscriber(plan: PlanView): Promise<{ user: Subscriber; subscriptionId: string; stripeSubscription: FakeSubscription }> {
    const user = await createSignedInUser(api, 'USER');
    const started = dataOf(await subscribe(user, plan.code)).subscribeToPlan;
    const { session, subscription } = stripe.completedSubscriptionSession(started.sessionId);
    await deliverOk(stripe.event('checkout.session.completed', session));
    await deliverOk(stripe.event('invoice.paid', stripe.billing.periodInvoice(subscription.id, { billingReason: 'subscription_create', paid: true })));
    expect((await myPlan(user)).plan.code).toBe(plan.code);
    return { user, subscriptionId: started.subscriptionId, stripeSubscription: subscription };
  }

  it('lists the seeded tiers to every signed-in user; billing administrators create, update and archive plans, audited', async () => {
    const user = await createSignedInUser(api, 'USER');
    const listed = dataOf(await call<{ plans: PlanView[] }>(PLANS, { all: false }, user.accessToken)).plans;
    const seeded = listed.filter((plan) => ['free', 'starter', 'pro', 'team'].includes(plan.code));
    expect(seeded.map(({ code, priceCents, monthlyCredits, requestsPerMonth, seats }) => ({ code, priceCents, monthlyCredits, requestsPerMonth, seats }))).toEqual([
      { code: 'free', priceCents: 0, monthlyCredits: 0, requestsPerMonth: 1000, seats: 1 },
      { code: 'starter', priceCents: 1900, monthlyCredits: 250, requestsPerMonth: 10_000, seats: 1 },
      { code: 'pro', priceCents: 4900, monthlyCredits: 750, requestsPerMonth: 50_000, seats: 1 },
      { code: 'team', priceCents: 19900, monthlyCredits: 3500, requestsPerMonth: 250_000, seats: 10 },
    ]);
    expect(errorCode((await call(PLANS, { all: true }, user.accessToken)) as GraphqlResult)).toBe('FORBIDDEN');
    expect(errorCode((await call(CREATE_PLAN, { input: { code: 'mine', name: 'Mine', priceCents: 100, monthlyCredits: 1 } }, user.accessToken)) as GraphqlResult)).toBe('FORBIDDEN');

    const plan = await testPlan({ priceCents: 2500, monthlyCredits: 300.5 });
    expect(plan).toMatchObject({ priceCents: 2500, monthlyCredits: 300.5, currency: 'usd', stripePriceId: null, archivedAt: null });
    const bad = await call(UPDATE_PLAN, { input: { id: plan.id, priceCents: 10 } }, admin.accessToken);
    expect(errorCode(bad as GraphqlResult)).toBe('BAD_USER_INPUT');
    const duplicate = await call(CREATE_PLAN, { input: { code: plan.code, name: 'Again', priceCents: 100, monthlyCredits: 1 } }, admin.accessToken);
    expect(errorCode(duplicate as GraphqlResult)).toBe('CONFLICT');

    const updated = dataOf(
      await call<{ updatePlan: PlanView }>(UPDATE_PLAN, { input: { id: plan.id, name: 'Renamed', requestsPerMonth: null, stripePriceId: 'price_admin123' } }, admin.accessToken),
    ).updatePlan;
    expect(updated).toMatchObject({ name: 'Renamed', requestsPerMonth: null, stripePriceId: 'price_admin123', priceCents: 2500 });
    // A new amount without a new price id: the old Stripe price no longer fits.
    const repriced = dataOf(await call<{ updatePlan: PlanView }>(UPDATE_PLAN, { input: { id: plan.id, priceCents: 2900 } }, admin.accessToken)).updatePlan;
    expect(repriced).toMatchObject({ priceCents: 2900, stripePriceId: null });

    const archived = dataOf(await call<{ archivePlan: PlanView }>(ARCHIVE_PLAN, { id: plan.id }, admin.accessToken)).archivePlan;
    expect(archived.archivedAt).not.toBeNull();
    await call(ARCHIVE_PLAN, { id: plan.id }, admin.accessToken);
    expect(dataOf(await call<{ plans: PlanView[] }>(PLANS, { all: false }, user.accessToken)).plans.map((p) => p.id)).not.toContain(plan.id);
    expect(dataOf(await call<{ plans: PlanView[] }>(PLANS, { all: true }, admin.accessToken)).plans.map((p) => p.id)).toContain(plan.id);
    expect(errorCode((await subscribe(user, plan.code)) as GraphqlResult)).toBe('BAD_USER_INPUT');
    const free = listed.find((p) => p.code === 'free')!;
    expect(errorCode((await call(ARCHIVE_PLAN, { id: free.id }, admin.accessToken)) as GraphqlResult)).toBe('BAD_USER_INPUT');

    const audit = (await db.query(
      `SELECT action, actor_id FROM identity_audit_log WHERE target_id = $1 ORDER BY id`,
      [plan.id],
    )) as Array<{ action: string; actor_id: string }>;
    expect(audit.map((row) => row.action)).toEqual(['billing.plan_created', 'billing.plan_updated', 'billing.plan_updated', 'billing.plan_archived']);
    expect(new Set(audit.map((row) => row.actor_id))).toEqual(new Set([admin.userId]));
  });

  it('subscribes through Checkout in subscription mode; invoice.paid grants the allowance once (×5), the renewal again, as expiring credits', async () => {
    const plan = await testPlan({ priceCents: 4900, monthlyCredits: 750 });
    const user = await createSignedInUser(api, 'USER');
    expect(errorCode((await subscribe(user, 'free')) as GraphqlResult)).toBe('BAD_USER_INPUT');
    expect(errorCode((await subscribe(user, 'no-such-plan')) as GraphqlResult)).toBe('BAD_USER_INPUT');

    const started = dataOf(await subscribe(user, plan.code)).subscribeToPlan;
    expect(started.url).toBe(`https://checkout.stripe.com/c/pay/${started.sessionId}`);
    const priceCreations = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/prices' && (r.params['metadata'] as Record<string, string>)?.['planId'] === plan.id);
    expect(priceCreations).toHaveLength(1);
    expect(priceCreations[0]!.params).toMatchObject({ currency: 'usd', unit_amount: '4900', recurring: { interval: 'month' } });
    const sessionRequest = stripe.sessionCreations().find((r) => r.params['client_reference_id'] === user.userId)!;
    const priceId = dataOf(await call<{ plans: PlanView[] }>(PLANS, { all: false }, user.accessToken)).plans.find((p) => p.id === plan.id)!.stripePriceId;
    expect(priceId).toMatch(/^price_/);
    expect(sessionRequest.params).toMatchObject({
      mode: 'subscription',
      line_items: [{ price: priceId, quantity: '1' }],
      subscription_data: { metadata: { planSubscriptionId: started.subscriptionId, userId: user.userId } },
    });
    expect(sessionRequest.headers['idempotency-key']).toBe(`plan-checkout-${started.subscriptionId}`);
    expect((await myPlan(user)).plan.code).toBe('free');

    const { session, subscription } = stripe.completedSubscriptionSession(started.sessionId);
    const firstInvoice = stripe.billing.periodInvoice(subscription.id, { billingReason: 'subscription_create', paid: true });
    // Stripe does not order its events: the invoice may come before the checkout that opened it.
    const paid = stripe.event('invoice.paid', firstInvoice);
    const deliveries = await Promise.all([
      deliver(paid),
      deliver(paid),
      deliver(paid),
      deliver(stripe.event('invoice.paid', firstInvoice)),
      deliver(stripe.event('invoice.paid', firstInvoice)),
    ]);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    await deliverOk(stripe.event('checkout.session.completed', session));
    expect(await balanceOf(user)).toBe(750);
    expect(await allowanceGrants(user.userId)).toEqual([
      { amount: '750000', metadata: expect.objectContaining({ stripeInvoiceId: firstInvoice.id, planSubscriptionId: started.subscriptionId }) },
    ]);
    const item = subscription.items.data[0]!;
    const mine = await myPlan(user);
    expect(mine).toMatchObject({ plan: { code: plan.code }, allowanceGranted: 750, allowanceRemaining: 750, allowanceUsed: 0, graceEndsAt: null });
    expect(mine.subscription).toMatchObject({
      id: started.subscriptionId,
      status: 'ACTIVE',
      cancelAtPeriodEnd: false,
      currentPeriodStart: new Date(item.current_period_start * 1000).toISOString(),
      currentPeriodEnd: new Date(item.current_period_end * 1000).toISOString(),
    });
    const lot = (await db.query(`SELECT expires_at FROM credit_lot l JOIN ledger_transaction t ON t.id = l.transaction_id WHERE t.user_id = $1`, [user.userId])) as Array<{ expires_at: Date }>;
    expect(lot.map((row) => row.expires_at.toISOString())).toEqual([new Date(item.current_period_end * 1000).toISOString()]);
    expect(errorCode((await subscribe(user, 'pro')) as GraphqlResult)).toBe('CONFLICT');

    await api.app.get(LedgerService).debit({ userId: user.userId, type: 'debit', amount: Credits.whole(100) });
    expect(await myPlan(user)).toMatchObject({ allowanceGranted: 750, allowanceRemaining: 650, allowanceUsed: 100 });

    // The next month: Stripe renews the subscription and pays its invoice.
    const firstPeriodEnd = item.current_period_end;
    const renewed = stripe.billing.renew(subscription.id);
    const renewal = stripe.billing.periodInvoice(subscription.id, { billingReason: 'subscription_cycle', paid: true });
    await deliverOk(stripe.event('customer.subscription.updated', renewed));
    for (let replay = 0; replay < 5; replay += 1) await deliverOk(stripe.event('invoice.paid', renewal));
    expect(await balanceOf(user)).toBe(1400);
    expect((await allowanceGrants(user.userId)).map((grant) => grant.amount)).toEqual(['750000', '750000']);
    expect((await myPlan(user)).subscription?.currentPeriodEnd).toBe(new Date(renewed.items.data[0]!.current_period_end * 1000).toISOString());
    // A replay of the first month's invoice now: no grant, and the subscription keeps the newer period.
    await deliverOk(paid);
    expect(await balanceOf(user)).toBe(1400);
    expect((await myPlan(user)).subscription?.currentPeriodStart).toBe(new Date(firstPeriodEnd * 1000).toISOString());

    // The first month's unspent 650 lapse when it ends; the second month's 750 stay.
    await api.app.get(LedgerHousekeeping).expireLapsedCredits(new Date(firstPeriodEnd * 1000 + 1000));
    expect(await balanceOf(user)).toBe(750);
    const report = await verifyLedger(db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('a failed payment puts the subscription past due; the maintenance job moves it to Free once the 7-day grace period is over', async () => {
    const plan = await testPlan();
    const { user, subscriptionId, stripeSubscription } = await activeSubscriber(plan);
    stripe.billing.renew(stripeSubscription.id);
    const unpaid = stripe.billing.periodInvoice(stripeSubscription.id, { billingReason: 'subscription_cycle', paid: false });
    const failedAt = Date.now();
    await deliverOk(stripe.event('invoice.payment_failed', unpaid));
    await deliverOk(stripe.event('invoice.payment_failed', unpaid));
    const pastDue = dataOf(await subscriptionOf(user.accessToken, subscriptionId)).planSubscription;
    expect(pastDue.status).toBe('PAST_DUE');
    expect(Math.abs(new Date(pastDue.pastDueSince!).getTime() - failedAt)).toBeLessThan(5_000);
    const owing = await myPlan(user);
    expect(owing.plan.code).toBe(plan.code);
    expect(owing.graceEndsAt).toBe(new Date(new Date(pastDue.pastDueSince!).getTime() + 7 * DAY_MS).toISOString());

    const maintenance = api.app.get(PurgeExpiredRowsHandler);
    const withinGrace = await maintenance.execute({ batchSize: 10 }, new Date(failedAt + 6 * DAY_MS));
    expect(withinGrace['overdueSubscriptions']).toBe(0);
    expect(dataOf(await subscriptionOf(user.accessToken, subscriptionId)).planSubscription.status).toBe('PAST_DUE');

    const afterGrace = await maintenance.execute({ batchSize: 10 }, new Date(failedAt + 7 * DAY_MS + 60_000));
    expect(afterGrace['overdueSubscriptions']).toBe(1);
    const mine = await myPlan(user);
    expect(mine.plan.code).toBe('free');
    expect(mine.subscription).toBeNull();
    expect(dataOf(await subscriptionOf(user.accessToken, subscriptionId)).planSubscription).toMatchObject({ status: 'LAPSED', pastDueSince: null });
    expect(stripe.requests.filter((r) => r.method === 'DELETE' && r.path === `/v1/subscriptions/${stripeSubscription.id}`)).toHaveLength(1);
    // Stripe's own report of the cancellation, and a late past-due update, leave it lapsed.
    await deliverOk(stripe.event('customer.subscription.deleted', stripe.billing.subscription(stripeSubscription.id)));
    expect(dataOf(await subscriptionOf(user.accessToken, subscriptionId)).planSubscription.status).toBe('LAPSED');
    expect((await maintenance.execute({ batchSize: 10 }, new Date(failedAt + 30 * DAY_MS)))['overdueSubscriptions']).toBe(0);
    expect(await balanceOf(user)).toBe(250);
  });

  it('a plan change takes the plan Stripe reports and grants the share of the new allowance Stripe prorated', async () => {
    const starter = await testPlan({ priceCents: 1900, monthlyCredits: 250 });
    const created = (await stripe.billing.route('POST', '/v1/prices', {
      currency: 'usd',
      unit_amount: '4900',
      recurring: { interval: 'month' },
      product_data: { name: 'Pro (admin-made)' },
    }))!.body as { id: string };
    const pro = await testPlan({ priceCents: 4900, monthlyCredits: 750, stripePriceId: created.id });
    const { user, subscriptionId, stripeSubscription } = await activeSubscriber(starter);
    expect(await balanceOf(user)).toBe(250);

    const change = stripe.billing.changePrice(stripeSubscription.id, pro.stripePriceId!, 0.5);
    await deliverOk(stripe.event('customer.subscription.updated', change.subscription));
    for (let replay = 0; replay < 3; replay += 1) await deliverOk(stripe.event('invoice.paid', change.invoice));
    // Half a month of Pro charged (2450 of 4900 cents): half its allowance; the unused Starter time is money back, not credits.
    expect(await balanceOf(user)).toBe(625);
    const mine = await myPlan(user);
    expect(mine.plan.code).toBe(pro.code);
    expect(mine.subscription?.id).toBe(subscriptionId);
    expect((await allowanceGrants(user.userId)).map((grant) => grant.amount)).toEqual(['250000', '375000']);
  });

  it('changePlan moves a running subscription to another plan in place: Stripe prorates, its event changes the plan, the next paid invoice grants the new allowance once', async () => {
    const starter = await testPlan({ priceCents: 1900, monthlyCredits: 250 });
    // No Stripe price yet: the change creates it, as a checkout would.
    const pro = await testPlan({ priceCents: 4900, monthlyCredits: 750 });
    const { user, subscriptionId, stripeSubscription } = await activeSubscriber(starter);
    const itemId = stripeSubscription.items.data[0]!.id;
    const change = (who: Subscriber, plan: string) =>
      call<{ changePlan: { plan: { code: string }; subscription: SubscriptionView } }>(CHANGE_PLAN, { input: { plan } }, who.accessToken);
    const updates = () =>
      stripe.requests.filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${stripeSubscription.id}` && r.params['items'] !== undefined);
    const sentUpdates = () =>
      stripe.sentEvents.filter((e) => e.type === 'customer.subscription.updated' && e.payload.includes(stripeSubscription.id));

    expect(errorCode((await change(user, 'no-such-plan')) as GraphqlResult)).toBe('BAD_USER_INPUT');
    expect(errorCode((await change(user, 'free')) as GraphqlResult)).toBe('BAD_USER_INPUT');
    expect(errorCode((await change(user, starter.code)) as GraphqlResult)).toBe('BAD_USER_INPUT');
    expect(errorCode((await change(user, ' ')) as GraphqlResult)).toBe('BAD_USER_INPUT');
    // Another user has no subscription of their own to change, and cannot reach this one.
    const stranger = await createSignedInUser(api, 'USER');
    expect(errorCode((await change(stranger, pro.code)) as GraphqlResult)).toBe('NOT_FOUND');
    expect(updates()).toHaveLength(0);

    // A double click: one change reaches Stripe (the second is the same idempotent request, or sees it done).
    const clicks = await Promise.all([change(user, pro.code), change(user, pro.code)]);
    const answered = clicks.filter((click) => !click.errors);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (const click of clicks) if (click.errors) expect(errorCode(click as GraphqlResult)).toBe('BAD_USER_INPUT');
    expect(dataOf(answered[0]!).changePlan).toMatchObject({ plan: { code: pro.code }, subscription: { id: subscriptionId } });
    const proPriceId = dataOf(await call<{ plans: PlanView[] }>(PLANS, { all: false }, user.accessToken)).plans.find((p) => p.id === pro.id)!.stripePriceId;
    expect(proPriceId).toMatch(/^price_/);
    expect(updates().length).toBeGreaterThanOrEqual(1);
    for (const update of updates()) {
      expect(update.params).toEqual({ items: [{ id: itemId, price: proPriceId }], proration_behavior: 'create_prorations' });
      expect(update.headers['idempotency-key']).toMatch(new RegExp(`^plan-change-${stripeSubscription.id}-${pro.id}-\\d+$`));
    }
    expect(new Set(updates().map((update) => update.headers['idempotency-key'])).size).toBe(1);
    expect(stripe.billing.subscription(stripeSubscription.id).items.data[0]!.price.id).toBe(proPriceId);

    // Stripe's signed customer.subscription.updated moves our row.
    const moved = await eventually(() => myPlan(user), (mine) => mine.plan.code === pro.code);
    expect(moved).toMatchObject({ plan: { code: pro.code }, subscription: { id: subscriptionId, status: 'ACTIVE' } });
    // The row moves before our endpoint's answer reaches Stripe: wait for that answer too.
    await stripe.eventsAnswered();
    expect(sentUpdates().map((event) => event.status)).toEqual([200]);
    const audit = (await db.query(`SELECT action, actor_id, details FROM identity_audit_log WHERE target_id = $1 AND action = 'billing.subscription_plan_changed'`, [subscriptionId])) as Array<{ actor_id: string; details: Record<string, unknown> }>;
    expect(audit).toEqual([{ action: 'billing.subscription_plan_changed', actor_id: user.userId, details: expect.objectContaining({ fromPlanId: starter.id, toPlanId: pro.id }) }]);
    expect(errorCode((await change(user, pro.code)) as GraphqlResult)).toBe('BAD_USER_INPUT');

    // The next month's invoice bills Pro: its allowance, once however often Stripe sends it.
    stripe.billing.renew(stripeSubscription.id);
    const renewal = stripe.billing.periodInvoice(stripeSubscription.id, { billingReason: 'subscription_cycle', paid: true });
    for (let replay = 0; replay < 3; replay += 1) await deliverOk(stripe.event('invoice.paid', renewal));
    expect((await allowanceGrants(user.userId)).map((grant) => grant.amount)).toEqual(['250000', '750000']);
    expect(await balanceOf(user)).toBe(1000);

    // Back to Starter: a new request (the row moved on), not a replay of an earlier one.
    dataOf(await change(user, starter.code));
    await eventually(() => myPlan(user), (mine) => mine.plan.code === starter.code);
    expect((await myPlan(user)).plan.code).toBe(starter.code);
    expect(new Set(updates().map((update) => update.headers['idempotency-key'])).size).toBe(2);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  it('cancelling ends the subscription at the period end: the plan stays until Stripe deletes it, then Free', async () => {
    const plan = await testPlan();
    const { user, subscriptionId, stripeSubscription } = await activeSubscriber(plan);
    const cancelled = dataOf(await call<{ cancelPlanSubscription: SubscriptionView }>(CANCEL, { id: subscriptionId }, user.accessToken)).cancelPlanSubscription;
    expect(cancelled).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true });
    const update = stripe.requests.filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${stripeSubscription.id}`);
    expect(update.map((r) => r.params)).toEqual([{ cancel_at_period_end: 'true' }]);
    await deliverOk(stripe.event('customer.subscription.updated', stripe.billing.subscription(stripeSubscription.id)));
    expect((await myPlan(user)).plan.code).toBe(plan.code);

    await deliverOk(stripe.event('customer.subscription.deleted', stripe.billing.endSubscription(stripeSubscription.id)));
    const ended = dataOf(await subscriptionOf(user.accessToken, subscriptionId)).planSubscription;
    expect(ended).toMatchObject({ status: 'CANCELED', endedAt: new Date(stripeSubscription.items.data[0]!.current_period_end * 1000).toISOString() });
    expect((await myPlan(user)).plan.code).toBe('free');
    expect(errorCode((await call(CANCEL, { id: subscriptionId }, user.accessToken)) as GraphqlResult)).toBe('BAD_USER_INPUT');
    // The month paid for keeps its credits until they expire.
    expect(await balanceOf(user)).toBe(250);
  });

  it("another user's subscription ids are not found; billing administrators see any", async () => {
    const plan = await testPlan();
    const { subscriptionId } = await activeSubscriber(plan);
    const stranger = await createSignedInUser(api, 'USER');
    expect(errorCode((await subscriptionOf(stranger.accessToken, subscriptionId)) as GraphqlResult)).toBe('NOT_FOUND');
    expect(errorCode((await call(CANCEL, { id: subscriptionId }, stranger.accessToken)) as GraphqlResult)).toBe('NOT_FOUND');
    expect(errorCode((await subscriptionOf(stranger.accessToken, 'not-a-uuid')) as GraphqlResult)).toBe('NOT_FOUND');
    expect(dataOf(await subscriptionOf(admin.accessToken, subscriptionId)).planSubscription.status).toBe('ACTIVE');
    expect(errorCode((await call(CANCEL, { id: subscriptionId }, admin.accessToken)) as GraphqlResult)).toBe('NOT_FOUND');
  });

  it('refuses unsigned or forged subscription events before any work', async () => {
    const plan = await testPlan();
    const user = await createSignedInUser(api, 'USER');
    const started = dataOf(await subscribe(user, plan.code)).subscribeToPlan;
    const { subscription } = stripe.completedSubscriptionSession(started.sessionId);
    const payload = stripe.event('invoice.paid', stripe.billing.periodInvoice(subscription.id, { billingReason: 'subscription_create', paid: true }));
    expect(await deliver(payload, null)).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    expect(await deliver(payload, FakeStripe.sign(payload, 'whsec_wrong'))).toMatchObject({ status: 400 });
    expect(await balanceOf(user)).toBe(0);
    expect((await myPlan(user)).plan.code).toBe('free');
  });
});
