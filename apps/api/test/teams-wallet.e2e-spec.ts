import { Credits } from '@sah/domain';
import { TeamWalletRepository, verifyLedger } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { settled } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const WALLET = `teamId balance reserved available monthlyCap usedThisMonth members { userId dailyCredits monthlyCredits usedToday usedThisMonth }`;
const TEAM_WALLET = `query ($teamId: ID!) { teamWallet(teamId: $teamId) { ${WALLET} } }`;
const HISTORY = `query ($input: TeamWalletTransactionsInput!) {
  teamWalletTransactions(input: $input) { items { id type amount balanceAfter actorId reason } pageInfo { total } }
}`;
const ADJUST = `mutation ($input: AdjustTeamWalletInput!) { adjustTeamWallet(input: $input) { transactionId replayed wallet { balance } } }`;
const TRANSFER = `mutation ($input: TransferToTeamWalletInput!) { transferToTeamWallet(input: $input) { transactionId replayed wallet { balance } } }`;
const MEMBER_LIMITS = `mutation ($input: SetTeamMemberLimitsInput!) { setTeamMemberLimits(input: $input) { ${WALLET} } }`;
const MONTHLY_CAP = `mutation ($input: SetTeamMonthlyCapInput!) { setTeamMonthlyCap(input: $input) { ${WALLET} } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id teamId } } }`;

/** Each call: 10 tokens in, 90 out at gpt-4o's 10 credits per 1,000 = 1 credit captured of a ~1.1 credit hold. */
const USAGE = { input: 10, output: 90 };

interface Wallet {
  teamId: string;
  balance: number;
  reserved: number;
  available: number;
  monthlyCap: number | null;
  usedThisMonth: number;
  members: Array<{ userId: string; dailyCredits: number | null; monthlyCredits: number | null; usedToday: number; usedThisMonth: number }>;
}
interface Transfer {
  transactionId: string;
  replayed: boolean;
  wallet: { balance: number };
}

describe('team wallets and their limits', () => {
  let api: TestApp;
  let second: TestApp;
  let openai: FakeOpenAI;
  let admin: Session;

  beforeAll(async () => {
    openai = new FakeOpenAI();
    await openai.start();
    api = await startTestApp({ ...openai.env(), WORKERS: 'off' });
    // A second API instance on the same database and Redis, as in a replicated deployment.
    second = await startTestApp({ ...openai.env(), WORKERS: 'off', DATABASE_URL: api.config.database.url, REDIS_KEY_PREFIX: api.config.redis.keyPrefix });
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await second?.close();
    await api?.close();
    await openai.stop();
  });
  beforeEach(() => openai.reset());

  /** A team with a manager and a member (both plain users), funded by an admin with `credits`. */
  async function team(credits: number) {
    const teamId = dataOf(
      await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `wallet ${randomUUID()}` }, admin.accessToken),
    ).createTeam.id;
    const manager = await createSignedInUser(api);
    const member = await createSignedInUser(api);
    for (const [session, role] of [[manager, 'manager'], [member, 'member']] as const) {
      dataOf(await gql(api.url, 'mutation ($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }', { i: { teamId, userId: session.userId, role } }, admin.accessToken));
    }
    const funded = dataOf(await gql<{ adjustTeamWallet: Transfer }>(api.url, ADJUST, { input: { teamId, amount: credits, reason: 'team budget' } }, admin.accessToken));
    expect(funded.adjustTeamWallet.wallet.balance).toBe(credits);
    return { teamId, manager, member };
  }

  async function teamKey(session: Session, teamId: string) {
    const created = dataOf(
      await gql<{ createApiKey: { secret: string; apiKey: { id: string; teamId: string } } }>(api.url, CREATE_KEY, { input: { name: 'team key', scopes: ['ai.use'], teamId } }, session.accessToken),
    ).createApiKey;
    expect(created.apiKey.teamId).toBe(teamId);
    return created.secret;
  }

  const wallet = async (teamId: string, session: Session = admin) =>
    dataOf(await gql<{ teamWallet: Wallet }>(api.url, TEAM_WALLET, { teamId }, session.accessToken)).teamWallet;

  /** One call, read to its end; answered once both instances have settled what they answered (as a client's next call would find them). */
  const chat = (app: TestApp, key: string, stream: boolean) =>
    fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100, ...(stream ? { stream: true } : {}) }),
    }).then(async (res) => {
      const answered = { status: res.status, body: await res.text() };
      await settled(api, second);
      return answered;
    });

  /** What the team's holds captured and still hold, from the ledger itself, in milli-credits. */
  async function holdsOf(teamId: string) {
    const [row] = (await api.app.get(DataSource).query(
      `SELECT coalesce(sum(captured) FILTER (WHERE status = 'captured'), 0)::text AS captured,
              coalesce(sum(amount) FILTER (WHERE status = 'active'), 0)::text AS active,
              count(DISTINCT user_id)::int AS spenders
         FROM credit_hold WHERE team_id = $1`,
      [teamId],
    )) as Array<{ captured: string; active: string; spenders: number }>;
    return row;
  }

  it('is funded by an admin and by a manager transfer (one ledger transaction, once per key); only its team and admins see it', async () => {
    const { teamId, manager, member } = await team(100);
    const outsider = await createSignedInUser(api);
    await fund(api, manager.userId, 50);

    // Retries of one transfer, concurrent or not, move the credits once.
    const input = { teamId, amount: 20, idempotencyKey: `transfer-${randomUUID()}` };
    const transfers = await Promise.all(
      [api, second, api].map(async (app) => dataOf(await gql<{ transferToTeamWallet: Transfer }>(app.url, TRANSFER, { input }, manager.accessToken)).transferToTeamWallet),
    );
    const again = dataOf(await gql<{ transferToTeamWallet: Transfer }>(api.url, TRANSFER, { input }, manager.accessToken)).transferToTeamWallet;
    expect(new Set([...transfers, again].map((transfer) => transfer.transactionId)).size).toBe(1);
    expect([...transfers, again].filter((transfer) => !transfer.replayed)).toHaveLength(1);
    expect(again.wallet.balance).toBe(120);
    expect((await api.app.get(LedgerService).balance(manager.userId)).balance.toNumber()).toBe(30);
    const reused = await gql(api.url, TRANSFER, { input: { ...input, amount: 21 } }, manager.accessToken);
    expect(errorCode(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    // One ledger transaction, two entries: the manager's account and the team's.
    const entries = (await api.app.get(DataSource).query(
      `SELECT a.user_id, a.team_id, e.amount::text FROM ledger_entry e JOIN credit_account a ON a.id = e.account_id WHERE e.transaction_id = $1 ORDER BY e.amount`,
      [again.transactionId],
    )) as Array<{ user_id: string | null; team_id: string | null; amount: string }>;
    expect(entries).toEqual([
      { user_id: manager.userId, team_id: null, amount: '-20000' },
      { user_id: null, team_id: teamId, amount: '20000' },
    ]);
    // More than the manager has: refused, nothing moved.
    const tooMuch = await gql(api.url, TRANSFER, { input: { teamId, amount: 31, idempotencyKey: randomUUID() } }, manager.accessToken);
    expect(errorCode(tooMuch)).toBe('INSUFFICIENT_CREDITS');

    // Members read the wallet and its history; only admins adjust, only managers and admins transfer.
    expect(await wallet(teamId, member)).toMatchObject({ balance: 120, reserved: 0, available: 120 });
    const history = dataOf(await gql<{ teamWalletTransactions: { items: Array<Record<string, unknown>>; pageInfo: { total: number } } }>(api.url, HISTORY, { input: { teamId } }, member.accessToken)).teamWalletTransactions;
    expect(history.pageInfo.total).toBe(2);
    expect(history.items).toEqual([
      expect.objectContaining({ type: 'TRANSFER', amount: 20, balanceAfter: 120, actorId: manager.userId }),
      expect.objectContaining({ type: 'ADJUSTMENT', amount: 100, balanceAfter: 100, actorId: admin.userId }),
    ]);
    expect(errorCode(await gql(api.url, ADJUST, { input: { teamId, amount: 5, reason: 'more' } }, manager.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, TRANSFER, { input: { teamId, amount: 1, idempotencyKey: randomUUID() } }, member.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, MEMBER_LIMITS, { input: { teamId, userId: member.userId, dailyCredits: 1 } }, member.accessToken))).toBe('FORBIDDEN');

    // Anyone else: the team does not exist, whatever they ask.
    for (const [query, variables] of [
      [TEAM_WALLET, { teamId }],
      [HISTORY, { input: { teamId } }],
      [TRANSFER, { input: { teamId, amount: 1, idempotencyKey: randomUUID() } }],
      [MEMBER_LIMITS, { input: { teamId, userId: outsider.userId, dailyCredits: 1 } }],
      [MONTHLY_CAP, { input: { teamId, monthlyCap: 1 } }],
      [CREATE_KEY, { input: { name: 'not mine', scopes: ['ai.use'], teamId } }],
    ] as const) {
      expect(errorCode(await gql(api.url, query, variables, outsider.accessToken))).toBe('NOT_FOUND');
    }
    expect(errorCode(await gql(api.url, TEAM_WALLET, { teamId: randomUUID() }, admin.accessToken))).toBe('NOT_FOUND');
    expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
  });

  it('writes team holds arriving together in one statement, each checked against its limits in turn', async () => {
    const first = await team(10);
    const other = await team(2);
    dataOf(await gql(api.url, MEMBER_LIMITS, { input: { teamId: first.teamId, userId: first.member.userId, dailyCredits: 5 } }, first.manager.accessToken));
    const stranger = await createSignedInUser(api);
    const wallets = api.app.get(TeamWalletRepository);
    const day = new Date().toISOString().slice(0, 10);
    const hold = (teamId: string, userId: string, credits: number) =>
      wallets.hold({ teamId, userId, amount: Credits.whole(credits), expiresAt: new Date(Date.now() + 60_000), day, metadata: { test: true } });
    const statements = jest.spyOn((api.app.get(DataSource).driver as PostgresDriver).master as Pool, 'query');

    const results = await Promise.allSettled([
      hold(first.teamId, first.member.userId, 3),
      hold(other.teamId, other.member.userId, 2),
      hold(first.teamId, first.member.userId, 2),
      hold(first.teamId, first.member.userId, 1), // the member's 5 a day are held already
      hold(other.teamId, other.manager.userId, 1), // the wallet's 2 are held already
      hold(first.teamId, stranger.userId, 1), // not a member
      hold(first.teamId, first.manager.userId, 4),
    ]);
    const batches = statements.mock.calls.map(([statement]) => statement as unknown as QueryConfig).filter((statement) => statement.name?.startsWith('ledger_team_hold_batch'));
    statements.mockRestore();
    expect(batches).toHaveLength(1);
    expect(JSON.parse(String(batches[0]?.values?.[0]))).toHaveLength(7);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value.hold.amount.toString() : (result.reason as { code: string }).code))).toEqual([
      '3',
      '2',
      '2',
      'BUDGET_EXCEEDED',
      'INSUFFICIENT_CREDITS',
      'FORBIDDEN',
      '4',
    ]);
    expect(await wallet(first.teamId)).toMatchObject({ balance: 10, reserved: 9, available: 1 });
    expect(await wallet(other.teamId)).toMatchObject({ balance: 2, reserved: 2, available: 0 });
    expect((await wallet(first.teamId)).members.find((m) => m.userId === first.member.userId)).toMatchObject({ usedToday: 5 });
    expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
  });

  for (const instances of [1, 2]) {
    it(`stops a member with 30 credits a day at 30 across 50 concurrent calls, streaming and not, on ${instances} API instance(s)`, async () => {
      const { teamId, manager, member } = await team(100);
      const limited = dataOf(await gql<{ setTeamMemberLimits: Wallet }>(api.url, MEMBER_LIMITS, { input: { teamId, userId: member.userId, dailyCredits: 30 } }, manager.accessToken));
      expect(limited.setTeamMemberLimits.members.find((m) => m.userId === member.userId)).toMatchObject({ dailyCredits: 30, monthlyCredits: null });
      const key = await teamKey(member, teamId);
      // Slow answers keep many holds open at once: the limit must count them, not only what was paid.
      openai.reply({ usage: USAGE, firstByteDelayMs: 300 });

      const apps = instances === 1 ? [api] : [api, second];
      const calls = await Promise.all(Array.from({ length: 50 }, (_, i) => chat(apps[i % apps.length], key, i % 2 === 0)));
      const served = calls.filter((call) => call.status === 200).length;
      const refused = calls.filter((call) => call.status === 402);
      expect(served + refused.length).toBe(50);
      expect(refused.length).toBeGreaterThanOrEqual(20);
      for (const call of refused) {
        expect(JSON.parse(call.body)).toMatchObject({ error: { type: 'insufficient_quota', code: 'budget_exceeded' } });
      }
      expect(refused[0]?.body).toContain("the member's daily limit of 30 credits");
      // The provider was called only for calls that got their hold.
      expect(openai.requests.length).toBe(served);

      const holds = await holdsOf(teamId);
      expect(holds).toEqual({ captured: String(served * 1000), active: '0', spenders: 1 });
      expect(served).toBeLessThanOrEqual(30);
      const after = await wallet(teamId, manager);
      expect(after.balance).toBe(100 - served);
      expect(after.balance).toBeGreaterThanOrEqual(70);
      expect(after.members.find((m) => m.userId === member.userId)).toMatchObject({ usedToday: served, usedThisMonth: served });
      expect(after.usedThisMonth).toBe(served);
      // Every charge names the member who spent.
      const usage = (await api.app.get(DataSource).query(
        `SELECT DISTINCT actor_id FROM ledger_transaction WHERE team_id = $1 AND type = 'usage'`,
        [teamId],
      )) as Array<{ actor_id: string }>;
      expect(usage).toEqual([{ actor_id: member.userId }]);
      // The member's own credits were not touched.
      expect((await api.app.get(LedgerService).balance(member.userId)).balance.toNumber()).toBe(0);
      expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
    }, 120_000);
  }

  it("holds a member to the team's monthly cap; the member's own key keeps spending their own credits; a removed member cannot spend", async () => {
    const { teamId, manager, member } = await team(100);
    const capped = dataOf(await gql<{ setTeamMonthlyCap: Wallet }>(api.url, MONTHLY_CAP, { input: { teamId, monthlyCap: 3 } }, manager.accessToken));
    expect(capped.setTeamMonthlyCap.monthlyCap).toBe(3);
    const key = await teamKey(member, teamId);
    openai.reply({ usage: USAGE });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat(i % 2 ? second : api, key, i % 2 === 0)).status);
    // 1 credit each, holds of ~1.1: the third hold would take the month past 3.
    expect(statuses).toEqual([200, 200, 402, 402]);
    const refused = (await gql(api.url, 'mutation ($input: ChatCompletionInput!) { chatCompletion(input: $input) { credits } }', {
      input: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 },
    }, key)) as GraphqlResult;
    expect(errorCode(refused)).toBe('BUDGET_EXCEEDED');
    expect(refused.errors?.[0]?.message).toContain("the team's monthly cap of 3 credits");

    // A key of the member's own spends the member's own credits, as before.
    await fund(api, member.userId, 10);
    const own = dataOf(await gql<{ createApiKey: { secret: string; apiKey: { teamId: string | null } } }>(api.url, CREATE_KEY, { input: { name: 'mine', scopes: ['ai.use'] } }, member.accessToken)).createApiKey;
    expect(own.apiKey.teamId).toBeNull();
    expect((await chat(api, own.secret, false)).status).toBe(200);
    expect((await api.app.get(LedgerService).balance(member.userId)).balance.toNumber()).toBe(9);
    expect((await wallet(teamId)).balance).toBe(98);

    // Out of the team, the team key stops spending its credits (checked where the hold is taken).
    dataOf(await gql<{ setTeamMonthlyCap: Wallet }>(api.url, MONTHLY_CAP, { input: { teamId, monthlyCap: null } }, admin.accessToken));
    await api.app.get(DataSource).query(`DELETE FROM identity_team_member WHERE team_id = $1 AND user_id = $2`, [teamId, member.userId]);
    const removed = await chat(second, key, false);
    expect(removed.status).toBe(403);
    expect((await wallet(teamId)).balance).toBe(98);
    expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
  });
});
