import { verifyLedger } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FakeStripe } from './support/fake-stripe';
import { dataOf, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { createFundedTeam, teamWallet } from './support/team-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const CHECKOUT =
  'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId url paymentId } }';
const PAYMENTS =
  'query ($filter: PaymentsFilterInput) { payments(filter: $filter) { items { id userId teamId status credits creditedTransactionId creditsReversed } } }';
const HISTORY =
  'query ($input: TeamWalletTransactionsInput!) { teamWalletTransactions(input: $input) { items { id type amount actorId } } }';
const URLS = { successUrl: 'https://hub.test/admin/teams?checkout=success', cancelUrl: 'https://hub.test/admin/teams?checkout=cancelled' };

interface PaymentView {
  id: string;
  userId: string;
  teamId: string | null;
  status: string;
  credits: number;
  creditedTransactionId: string | null;
  creditsReversed: number;
}

/** Buying credits for a team's wallet: the personal purchase path (Checkout, signed webhook) with the team named on the payment. */
describe('billing: credit purchases for a team wallet (the real stripe SDK against a local fake Stripe)', () => {
  const stripe = new FakeStripe();
  let api: TestApp;
  let db: DataSource;
  let admin: Session;

  beforeAll(async () => {
    await stripe.start();
    api = await startTestApp(stripe.env());
    db = api.app.get(DataSource);
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await api.close();
    await stripe.stop();
  });

  const checkout = (session: Session, teamId: string) =>
    gql<{ createCheckoutSession: { sessionId: string; paymentId: string } }>(
      api.url,
      CHECKOUT,
      { input: { package: 'starter', teamId, ...URLS } },
      session.accessToken,
    );

  const payments = (session: Session, filter: Record<string, unknown> = {}) =>
    gql<{ payments: { items: PaymentView[] } }>(api.url, PAYMENTS, { filter }, session.accessToken);

  const deliverOk = async (payload: string) => expect(await FakeStripe.deliver(api.url, payload)).toBe(200);

  async function ownBalance(session: Session): Promise<number> {
    return dataOf(await gql<{ creditBalance: { balance: number } }>(api.url, '{ creditBalance { balance } }', {}, session.accessToken))
      .creditBalance.balance;
  }

  const failure = (result: GraphqlResult<unknown>) => ({
    code: result.errors?.[0]?.extensions.code,
    reason: result.errors?.[0]?.extensions.details?.['reason'],
  });

  it('credits the team wallet once for a manager’s purchase, replays included, shows the payment to its managers, and takes a refund back from the wallet', async () => {
    const { teamId, manager, member } = await createFundedTeam(api, admin, 10);
    const managerBefore = await ownBalance(manager);

    const started = dataOf(await checkout(manager, teamId)).createCheckoutSession;
    const [request] = stripe.sessionCreations().slice(-1);
    expect(request?.params).toMatchObject({
      mode: 'payment',
      client_reference_id: manager.userId,
      metadata: { userId: manager.userId, teamId, packageCode: 'starter', paymentId: started.paymentId },
    });

    const session = stripe.completedSession(started.sessionId);
    const delivered = stripe.event('checkout.session.completed', session);
    await Promise.all([delivered, delivered, stripe.event('checkout.session.completed', session)].map(deliverOk));
    await deliverOk(delivered);

    expect((await teamWallet(api, teamId, manager)).balance).toBe(110);
    expect(await ownBalance(manager)).toBe(managerBefore);
    const purchases = (await db.query(
      `SELECT id, user_id, actor_id, amount::text, metadata FROM ledger_transaction WHERE team_id = $1 AND type = 'purchase'`,
      [teamId],
    )) as Array<{ id: string; user_id: string | null; actor_id: string; amount: string; metadata: Record<string, unknown> }>;
    expect(purchases).toEqual([
      {
        id: expect.any(String),
        user_id: null,
        actor_id: manager.userId,
        amount: '100000',
        metadata: expect.objectContaining({ paymentId: started.paymentId, stripeSessionId: started.sessionId }),
      },
    ]);
    const history = dataOf(
      await gql<{ teamWalletTransactions: { items: Array<Record<string, unknown>> } }>(api.url, HISTORY, { input: { teamId } }, member.accessToken),
    ).teamWalletTransactions.items;
    expect(history[0]).toEqual({ id: purchases[0]?.id, type: 'PURCHASE', amount: 100, actorId: manager.userId });

    const paid = { id: started.paymentId, userId: manager.userId, teamId, status: 'PAID', credits: 100, creditedTransactionId: purchases[0]?.id };
    expect(dataOf(await payments(manager)).payments.items).toEqual([expect.objectContaining(paid)]);
    expect(dataOf(await payments(manager, { teamId })).payments.items).toEqual([expect.objectContaining(paid)]);
    expect(dataOf(await payments(admin, { teamId })).payments.items).toEqual([expect.objectContaining(paid)]);
    // The member sees the credits arrive in the wallet, not the payment.
    expect(dataOf(await payments(member)).payments.items).toEqual([]);
    expect(failure(await payments(member, { teamId }))).toEqual({ code: 'NOT_FOUND', reason: undefined });

    // Half the price refunded: half the credits leave the wallet, not the buyer's balance.
    await deliverOk(stripe.event('charge.refunded', stripe.refundedCharge(session, 500)));
    expect((await teamWallet(api, teamId, manager)).balance).toBe(60);
    expect(await ownBalance(manager)).toBe(managerBefore);
    expect(dataOf(await payments(manager)).payments.items[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', creditsReversed: 50 });

    expect((await verifyLedger(db)).problems).toEqual([]);
  });

  const walletsOf = async (teamIds: string[]) =>
    ((await db.query(`SELECT count(*)::int AS n FROM credit_account WHERE team_id = ANY($1)`, [teamIds])) as Array<{ n: number }>)[0]?.n;

  it('opens the wallet of a team that never had one when its manager buys, and the webhook credits it', async () => {
    const { teamId, manager } = await createFundedTeam(api, admin, 0);
    expect(await walletsOf([teamId])).toBe(0);

    const started = dataOf(await checkout(manager, teamId)).createCheckoutSession;
    expect(await walletsOf([teamId])).toBe(1);
    expect((await teamWallet(api, teamId, manager)).balance).toBe(0);

    await deliverOk(stripe.event('checkout.session.completed', stripe.completedSession(started.sessionId)));
    expect((await teamWallet(api, teamId, manager)).balance).toBe(100);
    expect(dataOf(await payments(manager, { teamId })).payments.items).toEqual([
      expect.objectContaining({ id: started.paymentId, teamId, status: 'PAID', credits: 100 }),
    ]);
    expect((await verifyLedger(db)).problems).toEqual([]);
  });

  it('refuses members who do not manage the team, strangers and unknown teams as NOT_FOUND, before opening a wallet or calling Stripe', async () => {
    const { teamId, manager, member } = await createFundedTeam(api, admin, 0);
    const stranger = await createSignedInUser(api);
    const unknown = randomUUID();
    const sessionsBefore = stripe.sessionCreations().length;

    expect(failure(await checkout(member, teamId))).toEqual({ code: 'NOT_FOUND', reason: undefined });
    expect(failure(await checkout(stranger, teamId))).toEqual({ code: 'NOT_FOUND', reason: undefined });
    expect(failure(await checkout(manager, unknown))).toEqual({ code: 'NOT_FOUND', reason: undefined });
    expect(failure(await checkout(manager, 'not-a-team'))).toEqual({ code: 'BAD_USER_INPUT', reason: undefined });

    expect(stripe.sessionCreations()).toHaveLength(sessionsBefore);
    expect(await walletsOf([teamId, unknown])).toBe(0);
    const recorded = (await db.query(`SELECT count(*)::int AS n FROM payment WHERE team_id = ANY($1)`, [[teamId, unknown]])) as Array<{ n: number }>;
    expect(recorded[0]?.n).toBe(0);

    // An administrator who is not in the team may buy for it.
    expect(dataOf(await checkout(admin, teamId)).createCheckoutSession.sessionId).toMatch(/^cs_test_/);
  });
});
