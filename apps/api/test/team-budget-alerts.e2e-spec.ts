import { Credits } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { BudgetClock } from '../src/contexts/billing/application/budget-clock';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { decodedHeader, FakeSmtp } from './support/fake-smtp';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { createFundedTeam } from './support/team-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { alertsRaised, budgetEventsSettled } from './support/budget-alert-probes';
import { WebhookReceiver } from './support/webhook-receiver';

const EVENT = 'team.budget.threshold_reached';
const WALLET = 'teamId monthlyCap usedThisMonth budgetAlertThresholds budgetAlertThresholdsCustom';
const SET_ALERTS = `mutation ($input: SetTeamBudgetAlertsInput!) { setTeamBudgetAlerts(input: $input) { ${WALLET} } }`;

interface TeamAlertEvent {
  type: string;
  orderingKey: string;
  sequence: number;
  data: { teamId: string; period: string; threshold: number; spent: number; cap: number };
}
interface AlertsWallet {
  budgetAlertThresholds: number[];
  budgetAlertThresholdsCustom: boolean;
}

// Long flows of real captures and relays; on a loaded 2-core machine each step takes seconds.
/**
 * A team wallet's monthly cap raises each threshold once per month, to the team's managers by mail
 * and as a signed `team.budget.threshold_reached` webhook. Spend moves through the ledger's real team
 * holds and captures, on two API instances sharing the database and Redis, each with its outbox relay:
 * the trigger, the outbox, both relays and the `budget_alert` unique key are all on the path.
 */
describe('team budget threshold alerts', () => {
  const smtp = new FakeSmtp();
  const receiver = new WebhookReceiver();
  let api: TestApp;
  let second: TestApp;
  let admin: Session;

  beforeAll(async () => {
    await Promise.all([smtp.start(), receiver.start()]);
    const env = { SMTP_URL: smtp.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };
    api = await startTestApp(env);
    second = await startTestApp({ ...env, DATABASE_URL: api.config.database.url, REDIS_KEY_PREFIX: api.config.redis.keyPrefix });
    admin = await createSignedInUser(api, 'ADMIN');
  }, 160_000);
  afterAll(async () => {
    await second?.close();
    await api?.close();
    await Promise.all([smtp.stop(), receiver.stop()]);
  });
  afterEach(() => jest.restoreAllMocks());

  const db = () => api.app.get(DataSource);

  /** Waits until both relays have handled every team budget event so far: what was not alerted by then never will be. */
  async function settled(): Promise<void> {
    expect(await budgetEventsSettled(db(), 'team.budget%', 60_000)).toBe(0);
  }

  const alertsRaisedFor = (teamId: string) => alertsRaised(db(), 'team_month', teamId);

  /** A team with two managers and a member; the wallet funded with `credits` and capped at `cap` a month. */
  async function cappedTeam(credits: number, cap: number) {
    const teamId = dataOf(
      await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `alerts ${randomUUID()}` }, admin.accessToken),
    ).createTeam.id;
    dataOf(await gql(api.url, 'mutation ($input: AdjustTeamWalletInput!) { adjustTeamWallet(input: $input) { transactionId } }', { input: { teamId, amount: credits, reason: 'team budget' } }, admin.accessToken));
    const [manager, deputy, member] = [await createSignedInUser(api), await createSignedInUser(api), await createSignedInUser(api)];
    for (const [session, role] of [[manager, 'manager'], [deputy, 'manager'], [member, 'member']] as const) {
      dataOf(await gql(api.url, 'mutation ($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }', { i: { teamId, userId: session.userId, role } }, admin.accessToken));
    }
    await setCap(teamId, manager, cap);
    return { teamId, manager, deputy, member };
  }

  async function setCap(teamId: string, manager: Session, monthlyCap: number) {
    dataOf(await gql(api.url, 'mutation ($input: SetTeamMonthlyCapInput!) { setTeamMonthlyCap(input: $input) { teamId } }', { input: { teamId, monthlyCap } }, manager.accessToken));
  }

  /** A member's hold of `held` credits on the team wallet, captured at `captured`, through `on`'s ledger; then the relays catch up. */
  async function spend(teamId: string, member: Session, held: string, captured = held, on: TestApp = api, settle = true) {
    const ledger = on.app.get(LedgerService);
    const { hold } = await ledger.hold({ userId: member.userId, teamId, amount: Credits.parse(held), description: 'team call' });
    await ledger.capture(hold.id, Credits.parse(captured));
    if (settle) await settled();
  }

  async function subscribe(session: Session): Promise<{ path: string; verifier: Webhook }> {
    const path = `/team-budget-${randomUUID()}`;
    const { secret } = dataOf(
      await gql<{ createWebhookEndpoint: { secret: string } }>(
        api.url,
        'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        { input: { url: `${receiver.url}${path}`, eventTypes: [EVENT] } },
        session.accessToken,
      ),
    ).createWebhookEndpoint;
    return { path, verifier: new Webhook(secret) };
  }

  const alertMails = (session: { email: string }, teamName: string) =>
    smtp.messages
      .map((mail) => ({ ...mail, subject: decodedHeader(mail.subject) }))
      .filter((mail) => mail.to.includes(session.email.toLowerCase()) && mail.subject.startsWith(`Budget alert: Team "${teamName}"`));

  it('alerts 50, 80 and 100 % of the cap once each per month, whatever the concurrency, top-ups and re-crossings; again after a recovering raise and in a new month', async () => {
    const { teamId, manager, deputy, member } = await cappedTeam(100, 10);
    const teamName = ((await db().query(`SELECT name FROM identity_team WHERE id = $1`, [teamId])) as { name: string }[])[0].name;
    const managerHook = await subscribe(manager);
    const memberHook = await subscribe(member); // a member's endpoint: not the team's managers', so it gets nothing
    const month = api.app.get(BudgetClock).month().slice(0, 7);

    await spend(teamId, member, '4.999');
    expect(await alertsRaisedFor(teamId)).toEqual([]);

    // Ten captures at once, half on each API instance, take the month from 4.999 to 5.999: 50 % once.
    await Promise.all(Array.from({ length: 10 }, (_, i) => spend(teamId, member, '0.2', '0.1', i % 2 ? second : api, false)));
    await settled();
    expect(await alertsRaisedFor(teamId)).toEqual([{ period: month, percent: 50, times: 1 }]);

    // Both relays handling the crossing capture's event again, at the same time (at least once delivery): nothing new.
    await db().query(
      `INSERT INTO outbox_event (type, payload, occurred_at)
       SELECT type, payload, now() FROM outbox_event, generate_series(1, 4)
        WHERE id = (SELECT id FROM outbox_event WHERE type = 'team.budget_spent' AND payload ->> 'teamId' = $1
                       AND (payload ->> 'spentBefore')::bigint < 5000 AND (payload ->> 'spent')::bigint >= 5000)`,
      [teamId],
    );
    await settled();
    expect(await alertsRaisedFor(teamId)).toEqual([{ period: month, percent: 50, times: 1 }]);

    // Three top-ups of the wallet, each followed by spending past 50 % again: a top-up adds credits, not
    // budget (the month's spend against the cap is unchanged), so nothing is re-sent.
    for (let round = 0; round < 3; round++) {
      dataOf(
        await gql(api.url, 'mutation ($input: AdjustTeamWalletInput!) { adjustTeamWallet(input: $input) { transactionId } }', { input: { teamId, amount: 10, reason: `top-up ${round}` } }, admin.accessToken),
      );
      await spend(teamId, member, '0.3');
    }
    // A raise of the cap that leaves spend above 50 % (6.899 of 12) is no recovery either.
    await setCap(teamId, manager, 12);
    await spend(teamId, member, '0.1'); // 6.999
    expect(await alertsRaisedFor(teamId)).toEqual([{ period: month, percent: 50, times: 1 }]);

    await spend(teamId, member, '2.601'); // 9.6 of 12: 80 %
    await spend(teamId, member, '2.4'); // 12 of 12: 100 %
    expect(await alertsRaisedFor(teamId)).toEqual([
      { period: month, percent: 50, times: 1 },
      { period: month, percent: 80, times: 1 },
      { period: month, percent: 100, times: 1 },
    ]);

    // Recovery: a raise to 30 brings 12 back under 50 %; crossing it again alerts again (80 % is not reached).
    await setCap(teamId, manager, 30);
    await spend(teamId, member, '2.9'); // 14.9 < 15
    expect((await alertsRaisedFor(teamId)).find((alert) => alert.percent === 50)?.times).toBe(1);
    await spend(teamId, member, '0.1'); // 15
    expect(await alertsRaisedFor(teamId)).toEqual([
      { period: month, percent: 50, times: 2 },
      { period: month, percent: 80, times: 1 },
      { period: month, percent: 100, times: 1 },
    ]);

    // Next month (the budget's clock): a new period, alerted anew.
    const now = api.app.get(BudgetClock).now();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 12));
    jest.spyOn(api.app.get(BudgetClock), 'now').mockReturnValue(nextMonth);
    const next = nextMonth.toISOString().slice(0, 7);
    await spend(teamId, member, '15');
    expect((await alertsRaisedFor(teamId)).filter((alert) => alert.period === next)).toEqual([{ period: next, percent: 50, times: 1 }]);

    // Which of the ten concurrent captures' events raised 50 % is a race: its spend is the month's after one of them.
    const expected = [
      { period: month, threshold: 50, cap: 10, spent: expect.any(Number) as number },
      { period: month, threshold: 80, cap: 12, spent: 9.6 },
      { period: month, threshold: 100, cap: 12, spent: 12 },
      { period: month, threshold: 50, cap: 30, spent: 15 },
      { period: next, threshold: 50, cap: 30, spent: 15 },
    ];
    // The managers' endpoint receives each alert once, signed; ordered by the team's sequence numbers.
    const received = (
      await eventually(
        async () => receiver.at(managerHook.path).map((request) => ({ id: request.headers['webhook-id'], event: managerHook.verifier.verify(request.body, request.headers) as TeamAlertEvent })),
        (list) => list.length >= expected.length,
        60_000,
      )
    ).sort((a, b) => a.event.sequence - b.event.sequence);
    expect(received.map(({ event }) => event.data)).toEqual(expected.map((alert) => ({ teamId, ...alert })));
    expect(received[0].event.data.spent).toBeGreaterThanOrEqual(5.099);
    expect(received[0].event.data.spent).toBeLessThanOrEqual(5.999);
    expect(received.every(({ event }) => event.type === EVENT && event.orderingKey === teamId)).toBe(true);
    expect(new Set(received.map(({ id }) => id)).size).toBe(expected.length);

    // Each manager is mailed each alert once; the member is not.
    for (const recipient of [manager, deputy]) {
      const mailed = await eventually(async () => alertMails(recipient, teamName), (list) => list.length >= expected.length, 60_000);
      const percentOf = (subject: string) => Number(/ reached (\d+) % of its budget$/.exec(subject)?.[1]);
      expect(mailed.map((mail) => percentOf(mail.subject)).sort((a, b) => a - b)).toEqual([50, 50, 50, 80, 100]);
    }
    const full = FakeSmtp.decoded(alertMails(manager, teamName).find((mail) => / reached 100 % /.test(mail.subject)) ?? alertMails(manager, teamName)[0]);
    expect(full).toContain(`has spent 12 of its 12 credit budget for ${month} (100 % reached)`);
    expect(full).toContain(`/admin/teams/${teamId}`);

    // Nothing more was on its way.
    await settled();
    expect(receiver.at(managerHook.path)).toHaveLength(expected.length);
    expect(receiver.at(memberHook.path)).toHaveLength(0);
    expect(alertMails(manager, teamName)).toHaveLength(expected.length);
    expect(alertMails(deputy, teamName)).toHaveLength(expected.length);
    expect(alertMails(member, teamName)).toHaveLength(0);
  }, 240_000);

  it("takes the team's own thresholds from its managers, validated; none turns alerts off, null restores the default", async () => {
    const { teamId, manager, member } = await cappedTeam(100, 10);
    const stranger = await createSignedInUser(api);
    const month = api.app.get(BudgetClock).month().slice(0, 7);
    const setAlerts = (session: Session, thresholds: unknown) => gql<{ setTeamBudgetAlerts: AlertsWallet }>(api.url, SET_ALERTS, { input: { teamId, thresholds } }, session.accessToken);

    const initial = dataOf(await gql<{ teamWallet: AlertsWallet }>(api.url, `query ($teamId: ID!) { teamWallet(teamId: $teamId) { ${WALLET} } }`, { teamId }, member.accessToken));
    expect(initial.teamWallet).toMatchObject({ budgetAlertThresholds: [50, 80, 100], budgetAlertThresholdsCustom: false });

    for (const bad of [[0], [101], [7.5], ['50'], Array.from({ length: 11 }, (_, i) => i + 1)]) expect(errorCode(await setAlerts(manager, bad))).toBe('BAD_USER_INPUT');
    expect(errorCode(await setAlerts(member, [25]))).toBe('FORBIDDEN');
    expect(errorCode(await setAlerts(stranger, [25]))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, SET_ALERTS, { input: { teamId: randomUUID(), thresholds: [25] } }, manager.accessToken))).toBe('NOT_FOUND');

    expect(dataOf(await setAlerts(manager, [75, 25, 75])).setTeamBudgetAlerts).toMatchObject({ budgetAlertThresholds: [25, 75], budgetAlertThresholdsCustom: true });
    await spend(teamId, member, '2.5');
    await spend(teamId, member, '2.5'); // 50 %: not one of the team's
    expect(await alertsRaisedFor(teamId)).toEqual([{ period: month, percent: 25, times: 1 }]);

    expect(dataOf(await setAlerts(admin, [])).setTeamBudgetAlerts).toMatchObject({ budgetAlertThresholds: [], budgetAlertThresholdsCustom: true });
    await spend(teamId, member, '3'); // 80 %: alerts are off
    expect(await alertsRaisedFor(teamId)).toEqual([{ period: month, percent: 25, times: 1 }]);

    // Back to the default: 50 and 80 % were reached without an alert this month, so the next capture raises both.
    expect(dataOf(await setAlerts(manager, null)).setTeamBudgetAlerts).toMatchObject({ budgetAlertThresholds: [50, 80, 100], budgetAlertThresholdsCustom: false });
    await spend(teamId, member, '0.5');
    expect(await alertsRaisedFor(teamId)).toEqual([
      { period: month, percent: 25, times: 1 },
      { period: month, percent: 50, times: 1 },
      { period: month, percent: 80, times: 1 },
    ]);
  }, 160_000);

  it('does not watch a team without a cap', async () => {
    const { teamId, member, manager } = await createFundedTeam(api, admin, 20);
    await spend(teamId, member, '15');
    expect(await alertsRaisedFor(teamId)).toEqual([]);
    const events = (await db().query(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'team.budget_spent' AND payload ->> 'teamId' = $1`, [teamId])) as { n: number }[];
    expect(events[0].n).toBe(0);
    // A cap set later counts from the next capture on: 16 of 20 is 80 %, reached here for the first time.
    await setCap(teamId, manager, 20);
    await spend(teamId, member, '1');
    expect((await alertsRaisedFor(teamId)).map((alert) => alert.percent)).toEqual([50, 80]);
  }, 90_000);
});
