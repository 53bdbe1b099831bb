import { Credits } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { BudgetClock } from '../src/contexts/billing/application/budget-clock';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { fund } from './support/billing-fixtures';
import { decodedHeader, FakeSmtp } from './support/fake-smtp';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { alertsRaised, budgetEventsSettled } from './support/budget-alert-probes';
import { WebhookReceiver } from './support/webhook-receiver';

interface ThresholdEvent {
  type: string;
  sequence: number;
  data: { userId: string; budgetKind: string; subjectId: string; period: string; thresholdPercent: number; budget: number; spent: number };
}

/**
 * An API key's monthly budget raises each threshold (50/80/100 %) once per month: by mail to the
 * key's owner (through the mail queue, to a real SMTP server) and as a signed `budget.threshold_reached`
 * webhook. Spend moves through the ledger's real holds and captures, so the trigger, the outbox and the
 * relay are all on the path.
 */
describe('budget threshold alerts', () => {
  const smtp = new FakeSmtp();
  const receiver = new WebhookReceiver();
  let api: TestApp;

  beforeAll(async () => {
    await Promise.all([smtp.start(), receiver.start()]);
    api = await startTestApp({ SMTP_URL: smtp.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([smtp.stop(), receiver.stop()]);
  });
  afterEach(() => jest.restoreAllMocks());

  const db = () => api.app.get(DataSource);

  /** Waits until the relay has handled every budget event so far: what was not alerted by then never will be. */
  async function settled(): Promise<void> {
    expect(await budgetEventsSettled(db(), 'budget.%', 15_000)).toBe(0);
  }

  const alertsRaisedFor = (keyId: string) => alertsRaised(db(), 'api_key_month', keyId);

  it('alerts 50, 80 and 100 % once each, not on re-crossings, again after a raise of the budget and in a new month', async () => {
    const owner = await createSignedInUser(api);
    await fund(api, owner.userId, 1000);
    const name = `alerts-${randomUUID().slice(0, 6)}`;
    const created = dataOf(
      await gql<{ createApiKey: { apiKey: { id: string; prefix: string } } }>(
        api.url,
        'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id prefix } } }',
        { input: { name, scopes: ['ai.use'], monthlyCreditBudget: 10 } },
        owner.accessToken,
      ),
    ).createApiKey.apiKey;
    const keyId = created.id;
    const path = `/budget-${randomUUID()}`;
    const { secret } = dataOf(
      await gql<{ createWebhookEndpoint: { secret: string } }>(
        api.url,
        'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        { input: { url: `${receiver.url}${path}`, eventTypes: ['budget.threshold_reached'] } },
        owner.accessToken,
      ),
    ).createWebhookEndpoint;
    const verifier = new Webhook(secret);
    const webhooks = () =>
      receiver.at(path).map((request) => ({ id: request.headers['webhook-id'], event: verifier.verify(request.body, request.headers) as ThresholdEvent }));
    const mails = () =>
      smtp.messages
        .map((mail) => ({ ...mail, subject: decodedHeader(mail.subject) }))
        .filter((mail) => mail.to.includes(owner.email.toLowerCase()) && mail.subject.startsWith('Budget alert'));

    let budget = 10;
    const ledger = api.app.get(LedgerService);
    /** A budgeted hold of `held` credits, captured at `captured` (the rest released), as a call made with the key. */
    const spend = async (held: string, captured = held) => {
      const { hold } = await ledger.hold({
        userId: owner.userId,
        amount: Credits.parse(held),
        budget: { apiKeyId: keyId, monthlyCredits: Credits.whole(budget) },
      });
      await ledger.capture(hold.id, Credits.parse(captured));
      await settled();
    };
    const setBudget = async (credits: number) => {
      budget = credits;
      dataOf(
        await gql(api.url, 'mutation ($input: SetApiKeyLimitsInput!) { setApiKeyLimits(input: $input) { id } }', { input: { id: keyId, monthlyCreditBudget: credits } }, owner.accessToken),
      );
    };
    const month = api.app.get(BudgetClock).month().slice(0, 7);

    // Spend that crosses no whole percent of the budget (0.5 %) can cross no threshold: no spend event.
    const spendEvents = async () =>
      ((await db().query(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'budget.api_key_spent' AND payload ->> 'apiKeyId' = $1`, [keyId])) as { n: number }[])[0].n;
    await spend('0.05');
    expect(await spendEvents()).toBe(0);
    await spend('4.949');
    expect(await spendEvents()).toBe(1);
    expect(await alertsRaisedFor(keyId)).toEqual([]);
    await spend('0.001');
    expect(await alertsRaisedFor(keyId)).toEqual([{ period: month, percent: 50, times: 1 }]);

    // Three re-crossings of 50 % after partial releases (held 1.5, paid 0.5): nothing new.
    for (let i = 0; i < 3; i++) await spend('1.5', '0.5');
    // The relay delivering a spend event again (at least once) adds nothing either.
    await db().query(
      `INSERT INTO outbox_event (type, payload, occurred_at)
       SELECT type, payload, now() FROM outbox_event WHERE type = 'budget.api_key_spent' AND payload ->> 'apiKeyId' = $1 ORDER BY id DESC LIMIT 1`,
      [keyId],
    );
    await settled();
    expect(await alertsRaisedFor(keyId)).toEqual([{ period: month, percent: 50, times: 1 }]);

    await spend('1.5'); // 8: 80 %
    await spend('2'); // 10: 100 %
    expect(await alertsRaisedFor(keyId)).toEqual([
      { period: month, percent: 50, times: 1 },
      { period: month, percent: 80, times: 1 },
      { period: month, percent: 100, times: 1 },
    ]);

    // A raise to 25 brings 10 spent back under 50 %: crossing it again alerts again; 80 % is not reached.
    await setBudget(25);
    await spend('2'); // 12 < 12.5
    expect((await alertsRaisedFor(keyId)).find((alert) => alert.percent === 50)?.times).toBe(1);
    await spend('1'); // 13
    expect(await alertsRaisedFor(keyId)).toEqual([
      { period: month, percent: 50, times: 2 },
      { period: month, percent: 80, times: 1 },
      { period: month, percent: 100, times: 1 },
    ]);

    // Next month (the budget's clock): a new period, alerted anew.
    const now = api.app.get(BudgetClock).now();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 12));
    jest.spyOn(api.app.get(BudgetClock), 'now').mockReturnValue(nextMonth);
    const next = nextMonth.toISOString().slice(0, 7);
    await spend('13');
    expect((await alertsRaisedFor(keyId)).filter((alert) => alert.period === next)).toEqual([{ period: next, percent: 50, times: 1 }]);

    // Each alert arrives once by webhook and once by mail.
    const expected = [
      { period: month, thresholdPercent: 50, budget: 10, spent: 5 },
      { period: month, thresholdPercent: 80, budget: 10, spent: 8 },
      { period: month, thresholdPercent: 100, budget: 10, spent: 10 },
      { period: month, thresholdPercent: 50, budget: 25, spent: 13 },
      { period: next, thresholdPercent: 50, budget: 25, spent: 13 },
    ];
    // Deliveries may overtake each other: the events' sequence numbers give their order.
    const received = (await eventually(async () => webhooks(), (list) => list.length >= expected.length, 15_000)).sort(
      (a, b) => a.event.sequence - b.event.sequence,
    );
    expect(received.map(({ event }) => event.data)).toEqual(
      expected.map((alert) => ({ userId: owner.userId, budgetKind: 'api_key_month', subjectId: keyId, ...alert })),
    );
    expect(received.every(({ event }) => event.type === 'budget.threshold_reached')).toBe(true);
    expect(new Set(received.map(({ id }) => id)).size).toBe(expected.length);

    const mailed = await eventually(async () => mails(), (list) => list.length >= expected.length, 15_000);
    const percentOf = (subject: string) => Number(/ reached (\d+) % of its budget$/.exec(subject)?.[1]);
    expect(mailed.map((mail) => percentOf(mail.subject)).sort((a, b) => a - b)).toEqual([50, 50, 50, 80, 100]);
    const full = FakeSmtp.decoded(mailed.find((mail) => percentOf(mail.subject) === 100) ?? mailed[0]);
    expect(full).toContain(`API key "${name}" (${created.prefix}...)`);
    expect(full).toContain(`has spent 10 of its 10 credit budget for ${month} (100 % reached)`);
    // Nothing more was on its way.
    await settled();
    expect(receiver.at(path)).toHaveLength(expected.length);
    expect(mails()).toHaveLength(expected.length);
  });

  it('does not watch a key without a budget', async () => {
    const owner = await createSignedInUser(api);
    await fund(api, owner.userId, 100);
    const keyId = dataOf(
      await gql<{ createApiKey: { apiKey: { id: string } } }>(
        api.url,
        'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }',
        { input: { name: 'unbudgeted', scopes: ['ai.use'], monthlyCreditBudget: 4 } },
        owner.accessToken,
      ),
    ).createApiKey.apiKey.id;
    const ledger = api.app.get(LedgerService);
    const { hold } = await ledger.hold({ userId: owner.userId, amount: Credits.whole(3), budget: { apiKeyId: keyId, monthlyCredits: Credits.whole(4) } });
    // The budget is removed while the call is in flight: its capture alerts nothing.
    dataOf(
      await gql(api.url, 'mutation ($input: SetApiKeyLimitsInput!) { setApiKeyLimits(input: $input) { id } }', { input: { id: keyId, monthlyCreditBudget: null } }, owner.accessToken),
    );
    await ledger.capture(hold.id, Credits.whole(3));
    await settled();
    expect(await alertsRaisedFor(keyId)).toEqual([]);
    const spent = (await db().query(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'budget.api_key_spent' AND payload ->> 'apiKeyId' = $1`, [keyId])) as { n: number }[];
    expect(spent[0].n).toBe(0);
  });
});
