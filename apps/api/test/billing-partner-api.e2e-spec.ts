import { LedgerQuery, verifyLedger } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Agent } from 'undici';
import { VerifiedSessions } from '../src/contexts/identity/sessions/verified-sessions.service';
import { createPartnerKey, fund, partner } from './support/billing-fixtures';
import { createSignedInUser, createUser } from './support/identity-fixtures';
import { createFundedTeam, setMemberLimits, teamWallet } from './support/team-fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe('billing: partner credit API (check and deduct)', () => {
  let api: TestApp;
  let key: string;

  beforeAll(async () => {
    // The 1,000-deduct race queues ~100 requests per pooled connection and ten transactions on one
    // account row: on a busy machine the pool wait passes its 5 s default and the row-lock wait its 3 s
    // one, and requests are shed with 503, which is the database doing its job, not the race under test.
    // Longer waits keep this test about correctness (no double spend), not speed.
    api = await startTestApp({
      PARTNER_MAX_COST: '1000',
      DATABASE_POOL_MAX: '10',
      DATABASE_POOL_ACQUIRE_TIMEOUT_MS: '60000',
      DATABASE_LOCK_TIMEOUT_MS: '60000',
      DATABASE_STATEMENT_TIMEOUT_MS: '60000',
    });
    key = await createPartnerKey(api);
  });
  afterAll(() => api.close());

  const balanceOf = async (userId: string) => (await api.app.get(LedgerQuery).account(userId))?.balance.toString();

  it('checks and deducts with exact decimals, answering in the contract envelope', async () => {
    const user = await createUser(api);
    await fund(api, user.id, '10');

    const check = await partner(api, 'check', { service: 'video-gen', cost: 2.5 }, { bearer: key, userId: user.id });
    expect(check.status).toBe(200);
    expect(check.body.data).toEqual({ sufficient: true, balance: 10 });
    expect(check.body).toHaveProperty('meta.request_id');

    const deduct = await partner(api, 'deduct', { service: 'video-gen', cost: 0.125, metadata: { job: 'j1' } }, { bearer: key, userId: user.id });
    expect(deduct.status).toBe(200);
    expect(deduct.body.data).toMatchObject({ status: 'ok', new_balance: 9.875 });
    const transaction = await api.app.get(LedgerQuery).transaction(String(deduct.body.data?.transaction_id));
    expect(transaction).toMatchObject({ type: 'debit', reason: 'video-gen', metadata: expect.objectContaining({ job: 'j1', service: 'video-gen' }) });
    expect(await balanceOf(user.id)).toBe('9.875');
  });

  it('answers 402 with the balance when credits do not suffice, for check and deduct alike', async () => {
    const user = await createUser(api);
    await fund(api, user.id, '1.5');
    for (const action of ['check', 'deduct'] as const) {
      const response = await partner(api, action, { service: 's', cost: 2 }, { bearer: key, userId: user.id });
      expect(response.status).toBe(402);
      expect(response.body.error).toMatchObject({ code: 'INSUFFICIENT_CREDITS', details: { balance: 1.5, required: 2 } });
    }
    expect(await balanceOf(user.id)).toBe('1.5');
  });

  it('refuses bad costs with 400 and never touches the balance', async () => {
    const user = await createUser(api);
    await fund(api, user.id, '5');
    for (const cost of [0, -1, 1.0005, '5', null, 1001, 1e21]) {
      const response = await partner(api, 'deduct', { service: 's', cost }, { bearer: key, userId: user.id });
      expect({ cost, status: response.status, code: response.body.error?.code }).toEqual({ cost, status: 400, code: 'BAD_USER_INPUT' });
    }
    const unknownField = await partner(api, 'deduct', { service: 's', cost: 1, extra: true }, { bearer: key, userId: user.id });
    expect(unknownField.status).toBe(400);
    expect(await balanceOf(user.id)).toBe('5');
  });

  it('404s an unknown user and 400s a missing X-User-ID', async () => {
    expect((await partner(api, 'check', { service: 's', cost: 1 }, { bearer: key, userId: randomUUID() })).status).toBe(404);
    expect((await partner(api, 'check', { service: 's', cost: 1 }, { bearer: key, userId: 'not-a-uuid' })).status).toBe(404);
    const missing = await partner(api, 'check', { service: 's', cost: 1 }, { bearer: key });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.message).toMatch(/X-User-ID/);
  });

  it('401s without credentials and 403s keys and tokens that are not partner keys', async () => {
    const user = await createUser(api);
    expect((await partner(api, 'check', { service: 's', cost: 1 }, { userId: user.id })).status).toBe(401);
    expect((await partner(api, 'check', { service: 's', cost: 1 }, { bearer: 'sah_wrong', userId: user.id })).status).toBe(401);

    const member = await createSignedInUser(api, 'USER');
    const asUser = await partner(api, 'check', { service: 's', cost: 1 }, { bearer: member.accessToken, userId: user.id });
    expect(asUser.status).toBe(403);

    const plainKey = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${member.accessToken}` },
      body: JSON.stringify({
        query: 'mutation { createApiKey(input: {name: "ai only", scopes: ["ai.use"]}) { secret } }',
      }),
    }).then(async (r) => ((await r.json()) as { data: { createApiKey: { secret: string } } }).data.createApiKey.secret);
    const weak = await partner(api, 'deduct', { service: 's', cost: 1 }, { bearer: plainKey, userId: user.id });
    expect(weak.status).toBe(403);
    expect(weak.body.error?.message).toMatch(/partner\.credits/);
  });

  it('lets a tool holding the user’s VERIFIED code act for that user only', async () => {
    const user = await createUser(api);
    const other = await createUser(api);
    await fund(api, user.id, '3');
    const { code } = await api.app.get(VerifiedSessions).issue(user, `gpt-${randomUUID()}`);

    const deduct = await partner(api, 'deduct', { service: 'custom-gpt', cost: 1 }, { bearer: code });
    expect(deduct.status).toBe(200);
    expect(deduct.body.data?.new_balance).toBe(2);
    const check = await partner(api, 'check', { service: 'custom-gpt', cost: 1 }, { bearer: code, userId: user.id });
    expect(check.body.data).toEqual({ sufficient: true, balance: 2 });

    const forOther = await partner(api, 'deduct', { service: 'custom-gpt', cost: 1 }, { bearer: code, userId: other.id });
    expect(forOther.status).toBe(403);
    expect((await partner(api, 'check', { service: 's', cost: 1 }, { bearer: `VERIFIED-${'A'.repeat(32)}` })).status).toBe(401);

    // Session codes are credentials for the partner API only.
    const elsewhere = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${code}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(((await elsewhere.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('replays an Idempotency-Key: 20 concurrent sends make one transaction and all get its result', async () => {
    const user = await createUser(api);
    await fund(api, user.id, '100');
    const idempotencyKey = `deduct-${randomUUID()}`;
    const body = { service: 'video-gen', cost: 7, metadata: { job: 'same' } };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => partner(api, 'deduct', body, { bearer: key, userId: user.id, idempotencyKey })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const ids = new Set(responses.map((r) => r.body.data?.transaction_id));
    expect(ids.size).toBe(1);
    expect(new Set(responses.map((r) => r.body.data?.new_balance))).toEqual(new Set([93]));
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(await balanceOf(user.id)).toBe('93');
    const { total } = await api.app.get(LedgerQuery).transactions({ userIds: [user.id], types: ['debit'] }, { offset: 0, limit: 10 });
    expect(total).toBe(1);

    const reused = await partner(api, 'deduct', { ...body, cost: 8 }, { bearer: key, userId: user.id, idempotencyKey });
    expect(reused.status).toBe(422);
    expect(reused.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await balanceOf(user.id)).toBe('93');
  });

  describe("paid from a team's wallet (X-Team-ID), the user spending as its member", () => {
    it('checks the wallet, deducts within the member\'s limits, replays a key once, and leaves the member\'s own balance alone', async () => {
      const admin = await createSignedInUser(api, 'ADMIN');
      const { teamId, member } = await createFundedTeam(api, admin, 100);
      await setMemberLimits(api, admin, { teamId, userId: member.userId, dailyCredits: 30 });
      const asMember = { bearer: key, userId: member.userId, teamId };

      const check = await partner(api, 'check', { service: 'video-gen', cost: 25 }, asMember);
      expect(check.status).toBe(200);
      expect(check.body.data).toEqual({ sufficient: true, balance: 100 });

      // Ten concurrent sends of one deduct: one hold, one capture, every answer the same.
      const idempotencyKey = `team-${randomUUID()}`;
      const sends = await Promise.all(
        Array.from({ length: 10 }, () => partner(api, 'deduct', { service: 'video-gen', cost: 20, metadata: { job: 't1' } }, { ...asMember, idempotencyKey })),
      );
      expect(sends.map((send) => send.status)).toEqual(Array(10).fill(200));
      expect(new Set(sends.map((send) => send.body.data?.transaction_id)).size).toBe(1);
      expect(new Set(sends.map((send) => send.body.data?.new_balance))).toEqual(new Set([80]));
      expect(sends.filter((send) => send.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
      const transaction = await api.app.get(LedgerQuery).transaction(String(sends[0]?.body.data?.transaction_id));
      expect(transaction).toMatchObject({ reason: 'video-gen', metadata: expect.objectContaining({ job: 't1', service: 'video-gen' }) });

      // 20 + 15 would pass the member's 30 a day: refused before anything is written.
      const over = await partner(api, 'deduct', { service: 'video-gen', cost: 15 }, asMember);
      expect(over.status).toBe(402);
      expect(over.body.error?.code).toBe('BUDGET_EXCEEDED');

      const wallet = await teamWallet(api, teamId, admin);
      expect(wallet).toMatchObject({ balance: 80, reserved: 0, usedThisMonth: 20 });
      expect(wallet.members.find((row) => row.userId === member.userId)).toMatchObject({ usedToday: 20 });
      expect(await balanceOf(member.userId)).toBeUndefined();
      expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
    });

    it('answers NOT_FOUND for a team the user is not in or a malformed id, and 402 past the wallet', async () => {
      const admin = await createSignedInUser(api, 'ADMIN');
      const { teamId, member } = await createFundedTeam(api, admin, 5);
      const stranger = await createUser(api);
      await fund(api, stranger.id, '50');
      for (const [userId, team] of [
        [stranger.id, teamId],
        [member.userId, 'not-a-team'],
        [member.userId, randomUUID()],
      ] as const) {
        const response = await partner(api, 'deduct', { service: 's', cost: 1 }, { bearer: key, userId, teamId: team });
        expect(response.status).toBe(404);
        expect(response.body.error?.code).toBe('NOT_FOUND');
      }
      const broke = await partner(api, 'deduct', { service: 's', cost: 6 }, { bearer: key, userId: member.userId, teamId });
      expect(broke.status).toBe(402);
      expect(await balanceOf(stranger.id)).toBe('50');
      expect((await teamWallet(api, teamId, admin)).balance).toBe(5);
    });

    it('lets 20 concurrent deducts of 10 take a wallet of 100 exactly to 0', async () => {
      const admin = await createSignedInUser(api, 'ADMIN');
      const { teamId, member } = await createFundedTeam(api, admin, 100);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => partner(api, 'deduct', { service: 'load', cost: 10 }, { bearer: key, userId: member.userId, teamId, idempotencyKey: randomUUID() })),
      );
      expect(responses.filter((response) => response.status === 200)).toHaveLength(10);
      expect(responses.filter((response) => response.status === 402)).toHaveLength(10);
      expect(await teamWallet(api, teamId, admin)).toMatchObject({ balance: 0, reserved: 0 });
      expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
    });
  });

  it('1,000 concurrent deducts of 1 credit against 500: exactly 500 succeed, 500 get 402, balance 0, books verified', async () => {
    const user = await createUser(api);
    await fund(api, user.id, '500');
    // All 1,000 sent at once over 100 connections of their own: a thousand connects at once overflow
    // the server's listen backlog (511), and idle keep-alive sockets left by earlier tests can be
    // closed by the server just as a request reuses them; both reset connections on a loaded machine.
    const connections = new Agent({ connections: 100 });
    // As partners are asked to: each deduct has its own Idempotency-Key and is sent again after a 503
    // (on a loaded machine a request can miss its database deadline, before or after its commit). A
    // retry of one that did commit replays its answer, so the counts below also prove that retries
    // never charge twice.
    const unavailable: string[] = [];
    const deduct = async () => {
      const call = { bearer: key, userId: user.id, dispatcher: connections, idempotencyKey: randomUUID() };
      for (;;) {
        const response = await partner(api, 'deduct', { service: 'load', cost: 1 }, call);
        if (response.status !== 503 || unavailable.length >= 100) return response;
        unavailable.push(response.body.error?.code ?? '');
      }
    };
    const responses = await Promise.all(Array.from({ length: 1000 }, deduct)).finally(() => connections.close());
    const statusCounts: Record<number, number> = {};
    for (const { status } of responses) statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    expect(statusCounts).toEqual({ 200: 500, 402: 500 });
    expect(unavailable.filter((code) => code !== 'DEPENDENCY_UNAVAILABLE')).toEqual([]);
    expect(await balanceOf(user.id)).toBe('0');
    const balancesSeen = responses.filter((r) => r.status === 200).map((r) => r.body.data?.new_balance);
    expect(new Set(balancesSeen).size).toBe(500);
    const { total: debits } = await api.app.get(LedgerQuery).transactions({ userIds: [user.id], types: ['debit'] }, { offset: 0, limit: 1 });
    expect(debits).toBe(500);

    const report = await verifyLedger(api.app.get(DataSource));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  }, 120_000);
});
