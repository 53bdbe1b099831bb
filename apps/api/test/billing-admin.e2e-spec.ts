import { Credits } from '@sah/domain';
import { LedgerReportsQuery } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser, createUser, Session } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

interface Transaction {
  id: string;
  type: string;
  userId: string;
  amount: number;
  balanceAfter: number;
  reason: string | null;
  actorId: string | null;
  reversesId: string | null;
}

const TRANSACTION = 'id type userId amount balanceAfter reason actorId reversesId';
const ADJUST = `mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { ${TRANSACTION} } }`;
const REFUND = `mutation ($input: RefundTransactionInput!) { refundTransaction(input: $input) { ${TRANSACTION} } }`;
const PREVIEW = `query ($csv: String!) { previewCreditAdjustments(csv: $csv) {
  valid errorCount totalCredit totalDebit rows { line user userId email name amount reason error } } }`;
const APPLY = `mutation ($input: ApplyCreditAdjustmentsInput!) { applyCreditAdjustments(input: $input) { applied transactions { ${TRANSACTION} } } }`;
const STATEMENT = `query ($input: CreditStatementInput!) { creditStatement(input: $input) {
  month userId teamId openingBalance closingBalance transactionCount totalsByType { type amount } lines { id type amount } } }`;

const code = (result: GraphqlResult<unknown>) => errorCode(result as GraphqlResult);

describe('billing: finance tools (adjustments, refunds, bulk files, exports, statements)', () => {
  let api: TestApp;
  let ledger: LedgerService;
  let admin: Session;
  let manager: Session;
  let user: Session & { email: string };
  let teamId: string;
  const started = new Date();

  beforeAll(async () => {
    api = await startTestApp();
    ledger = api.app.get(LedgerService);
    admin = await createSignedInUser(api, 'ADMIN');
    manager = await createSignedInUser(api, 'MANAGER');
    user = await createSignedInUser(api, 'USER');
    teamId = dataOf(await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `finance ${randomUUID()}` }, admin.accessToken)).createTeam.id;
    await addToTeam(teamId, manager.userId, 'manager');
  });
  afterAll(() => api.close());

  async function addToTeam(team: string, userId: string, role: 'member' | 'manager' = 'member'): Promise<void> {
    dataOf(
      await gql(api.url, 'mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { id } }', { input: { teamId: team, userId, role } }, admin.accessToken),
    );
  }

  /** A user with an account holding `credits` (a plain grant), optionally in the manager's team. */
  async function funded(credits: number, options: { inTeam?: boolean } = {}): Promise<string> {
    const created = await createUser(api, 'USER');
    if (options.inTeam) await addToTeam(teamId, created.id);
    if (credits > 0) await ledger.grant({ userId: created.id, amount: Credits.whole(credits), type: 'grant', reason: 'test funds' });
    return created.id;
  }

  const balanceOf = async (userId: string) => (await ledger.balance(userId)).balance.toNumber();

  const adjust = (bearer: string, input: Record<string, unknown>) => gql<{ adjustCredits: Transaction }>(api.url, ADJUST, { input }, bearer);
  const refund = (bearer: string, input: Record<string, unknown>) => gql<{ refundTransaction: Transaction }>(api.url, REFUND, { input }, bearer);

  describe('adjustCredits', () => {
    it('adds and takes credits as adjustments, with the actor and the trimmed reason, and audits each', async () => {
      const target = await funded(0);
      const up = dataOf(await adjust(admin.accessToken, { userId: target, amount: 10.5, reason: '  goodwill  ' })).adjustCredits;
      expect(up).toMatchObject({ type: 'ADJUSTMENT', userId: target, amount: 10.5, balanceAfter: 10.5, reason: 'goodwill', actorId: admin.userId });
      const down = dataOf(await adjust(admin.accessToken, { userId: target, amount: -0.25, reason: 'correction' })).adjustCredits;
      expect(down).toMatchObject({ amount: -0.25, balanceAfter: 10.25 });
      expect(await balanceOf(target)).toBe(10.25);

      const audit = dataOf(
        await gql<{ auditLog: { items: Array<{ actorId: string; details: Record<string, unknown> }> } }>(
          api.url,
          'query ($f: AuditLogFilterInput) { auditLog(filter: $f) { items { actorId details } } }',
          { f: { action: 'credits.adjusted', targetId: target } },
          admin.accessToken,
        ),
      ).auditLog.items;
      expect(audit.map((entry) => entry.details['transactionId']).sort()).toEqual([up.id, down.id].sort());
      expect(audit.every((entry) => entry.actorId === admin.userId)).toBe(true);
    });

    it('refuses to take the balance below zero, and changes nothing', async () => {
      const target = await funded(5);
      const result = await adjust(admin.accessToken, { userId: target, amount: -5.001, reason: 'too much' });
      expect(code(result)).toBe('INSUFFICIENT_CREDITS');
      expect(result.errors?.[0]?.extensions.details).toMatchObject({ balance: 5 });
      expect(await balanceOf(target)).toBe(5);
    });

    it('requires a reason and a non-zero amount with at most 3 decimals', async () => {
      const target = await funded(1);
      for (const input of [
        { userId: target, amount: 1, reason: '   ' },
        { userId: target, amount: 1, reason: 'x'.repeat(501) },
        { userId: target, amount: 0, reason: 'nothing' },
        { userId: target, amount: 1.2345, reason: 'too precise' },
        { userId: 'not-a-uuid', amount: 1, reason: 'bad id' },
      ]) {
        expect(code(await adjust(admin.accessToken, input))).toBe('BAD_USER_INPUT');
      }
      expect(await balanceOf(target)).toBe(1);
    });

    it('is not for users; managers may adjust their team’s members only (others are NOT_FOUND, themselves FORBIDDEN)', async () => {
      const member = await funded(0, { inTeam: true });
      const stranger = await funded(0);
      expect(code(await adjust(user.accessToken, { userId: member, amount: 1, reason: 'no' }))).toBe('FORBIDDEN');
      expect(dataOf(await adjust(manager.accessToken, { userId: member, amount: 3, reason: 'team bonus' })).adjustCredits).toMatchObject({
        balanceAfter: 3,
        actorId: manager.userId,
      });
      expect(code(await adjust(manager.accessToken, { userId: stranger, amount: 3, reason: 'not mine' }))).toBe('NOT_FOUND');
      expect(code(await adjust(manager.accessToken, { userId: manager.userId, amount: 3, reason: 'myself' }))).toBe('FORBIDDEN');
      expect(await balanceOf(stranger)).toBe(0);
    });

    it('replays a retried adjustment with the same idempotency key and refuses the key for another one', async () => {
      const target = await funded(0);
      const input = { userId: target, amount: 7, reason: 'retry me', idempotencyKey: `adj-${randomUUID()}` };
      const [first, second] = await Promise.all([adjust(admin.accessToken, input), adjust(admin.accessToken, input)]);
      expect(dataOf(first).adjustCredits.id).toBe(dataOf(second).adjustCredits.id);
      expect(await balanceOf(target)).toBe(7);
      expect(code(await adjust(admin.accessToken, { ...input, amount: 8 }))).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await balanceOf(target)).toBe(7);
    });
  });

  describe('refundTransaction', () => {
    async function spend(userId: string, credits: number, type: 'debit' | 'usage' = 'usage'): Promise<string> {
      return (await ledger.debit({ userId, amount: Credits.whole(credits), type, reason: 'spent' })).transaction.id;
    }

    it('refunds a whole spend by default, pointing back at it', async () => {
      const target = await funded(100);
      const spent = await spend(target, 30);
      const refunded = dataOf(await refund(admin.accessToken, { transactionId: spent, reason: 'outage' })).refundTransaction;
      expect(refunded).toMatchObject({ type: 'REFUND', userId: target, amount: 30, balanceAfter: 100, reversesId: spent, actorId: admin.userId });
    });

    it('refunds in parts, never more than was spent', async () => {
      const target = await funded(100);
      const spent = await spend(target, 20, 'debit');
      expect(dataOf(await refund(admin.accessToken, { transactionId: spent, amount: 5.5, reason: 'part' })).refundTransaction.amount).toBe(5.5);
      const over = await refund(admin.accessToken, { transactionId: spent, amount: 14.501, reason: 'too much' });
      expect(code(over)).toBe('BAD_USER_INPUT');
      expect(over.errors?.[0]?.extensions.details).toMatchObject({ refundable: 14.5 });
      expect(dataOf(await refund(admin.accessToken, { transactionId: spent, reason: 'the rest' })).refundTransaction.amount).toBe(14.5);
      expect(code(await refund(admin.accessToken, { transactionId: spent, amount: 0.001, reason: 'again' }))).toBe('BAD_USER_INPUT');
      expect(await balanceOf(target)).toBe(100);
    });

    it('refuses to refund what was not spent, unknown transactions, bad amounts and missing reasons', async () => {
      const target = await funded(10);
      const grant = (await ledger.grant({ userId: target, amount: Credits.whole(1), type: 'grant' })).transaction.id;
      const spent = await spend(target, 1);
      expect(code(await refund(admin.accessToken, { transactionId: grant, reason: 'grants are adjusted' }))).toBe('BAD_USER_INPUT');
      expect(code(await refund(admin.accessToken, { transactionId: randomUUID(), reason: 'nothing' }))).toBe('NOT_FOUND');
      expect(code(await refund(admin.accessToken, { transactionId: spent, amount: -1, reason: 'negative' }))).toBe('BAD_USER_INPUT');
      expect(code(await refund(admin.accessToken, { transactionId: spent, reason: ' ' }))).toBe('BAD_USER_INPUT');
      expect(await balanceOf(target)).toBe(10);
    });

    it('is for administrators only', async () => {
      const member = await funded(10, { inTeam: true });
      const spent = await spend(member, 2);
      expect(code(await refund(user.accessToken, { transactionId: spent, reason: 'mine' }))).toBe('FORBIDDEN');
      expect(code(await refund(manager.accessToken, { transactionId: spent, reason: 'my team' }))).toBe('FORBIDDEN');
      expect(await balanceOf(member)).toBe(8);
    });
  });

  describe('bulk adjustments from a CSV file', () => {
    interface Preview {
      valid: boolean;
      errorCount: number;
      totalCredit: number;
      totalDebit: number;
      rows: Array<{ line: number; user: string; userId: string | null; email: string | null; amount: number | null; error: string | null }>;
    }
    const preview = (bearer: string, csv: string) => gql<{ previewCreditAdjustments: Preview }>(api.url, PREVIEW, { csv }, bearer);
    const apply = (bearer: string, csv: string, idempotencyKey = `batch-${randomUUID()}`) =>
      gql<{ applyCreditAdjustments: { applied: number; transactions: Transaction[] } }>(api.url, APPLY, { input: { csv, idempotencyKey } }, bearer);

    it('previews every row: resolved users, totals, and why rows cannot be applied', async () => {
      const alice = await funded(10);
      const bob = await createUser(api, 'USER');
      const carol = await funded(2);
      const csv = [
        'user,amount,reason',
        `${alice},-4,take`,
        `${bob.email.value.toUpperCase()},+1.5,"give, kindly"`,
        `nobody-${randomUUID()}@example.com,1,unknown`,
        `${alice},2,second row for alice`,
        `${carol},-2.001,too much`,
        `${carol},1.0001,bad amount`,
        `${bob.id},1,`,
      ].join('\n');
      const result = dataOf(await preview(admin.accessToken, csv)).previewCreditAdjustments;
      expect(result).toMatchObject({ valid: false, errorCount: 5, totalCredit: 1.5, totalDebit: 4 });
      expect(result.rows.map((row) => [row.line, row.userId, row.error])).toEqual([
        [2, alice, null],
        [3, bob.id, null],
        [4, null, 'Unknown user'],
        [5, alice, 'The same user is already on line 2: one row per user'],
        [6, carol, 'Would take the balance below zero (2 available)'],
        [7, carol, 'amount must be a number with at most 3 decimals'],
        [8, bob.id, 'A reason is required'],
      ]);
      expect(result.rows[1]).toMatchObject({ user: bob.email.value.toUpperCase(), email: bob.email.value, amount: 1.5 });
      expect(await balanceOf(alice)).toBe(10);
    });

    it('applies nothing when a row is invalid', async () => {
      const alice = await funded(10);
      const result = await apply(admin.accessToken, `user,amount,reason\n${alice},5,fine\nnobody-${randomUUID()}@example.com,1,unknown\n`);
      expect(code(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.extensions.details).toMatchObject({ errors: [{ line: 3, error: 'Unknown user' }] });
      expect(await balanceOf(alice)).toBe(10);
    });

    it('applies nothing when the ledger refuses a row: the rows posted before it are rolled back', async () => {
      const alice = await funded(10);
      const bob = await funded(1);
      // Valid when checked as a file; bob's debit fails only against his balance, after alice's credit was posted.
      const result = await apply(admin.accessToken, `user,amount,reason\n${alice},5,first\n${bob},-2,second\n`);
      expect(code(result)).toBe('INSUFFICIENT_CREDITS');
      expect(result.errors?.[0]?.extensions.details).toMatchObject({ errors: [{ line: 3, error: 'Would take the balance below zero (1 available)' }] });
      expect([await balanceOf(alice), await balanceOf(bob)]).toEqual([10, 1]);
      expect(await transactionsOf(alice)).toHaveLength(1);
    });

    it('applies a valid file in one go, replays it for the same key, and refuses the key for another file', async () => {
      const alice = await funded(10);
      const bob = await createUser(api, 'USER');
      const csv = `user,amount,reason\n${alice},-2.5,fee\n${bob.email.value},4,welcome gift\n`;
      const key = `batch-${randomUUID()}`;
      const applied = dataOf(await apply(admin.accessToken, csv, key)).applyCreditAdjustments;
      expect(applied.applied).toBe(2);
      expect(applied.transactions.map((tx) => [tx.userId, tx.type, tx.amount, tx.balanceAfter, tx.actorId])).toEqual([
        [alice, 'ADJUSTMENT', -2.5, 7.5, admin.userId],
        [bob.id, 'ADJUSTMENT', 4, 4, admin.userId],
      ]);
      const replayed = dataOf(await apply(admin.accessToken, csv, key)).applyCreditAdjustments;
      expect(replayed.transactions.map((tx) => tx.id)).toEqual(applied.transactions.map((tx) => tx.id));
      expect(code(await apply(admin.accessToken, csv.replace('-2.5', '-2'), key))).toBe('IDEMPOTENCY_KEY_REUSED');
      expect([await balanceOf(alice), await balanceOf(bob.id)]).toEqual([7.5, 4]);

      const audit = dataOf(
        await gql<{ auditLog: { items: Array<{ details: Record<string, unknown> }> } }>(
          api.url,
          'query ($f: AuditLogFilterInput) { auditLog(filter: $f) { items { details } } }',
          { f: { action: 'credits.bulk_adjusted', targetId: key } },
          admin.accessToken,
        ),
      ).auditLog.items;
      expect(audit).toEqual([{ details: { rows: 2, totalCredit: 4, totalDebit: 2.5 } }]);
    });

    it('applies files touching the same accounts in opposite orders at once, without deadlock', async () => {
      const alice = await funded(10);
      const bob = await funded(10);
      const [first, second] = await Promise.all([
        apply(admin.accessToken, `user,amount,reason\n${alice},-1,a\n${bob},1,b\n`),
        apply(admin.accessToken, `user,amount,reason\n${bob},-2,c\n${alice},2,d\n`),
      ]);
      expect([dataOf(first).applyCreditAdjustments.applied, dataOf(second).applyCreditAdjustments.applied]).toEqual([2, 2]);
      expect([await balanceOf(alice), await balanceOf(bob)]).toEqual([11, 9]);
    });

    it('lets managers name their team’s members only, and refuses oversized files and users', async () => {
      const member = await funded(0, { inTeam: true });
      const stranger = await funded(0);
      const rows = dataOf(await preview(manager.accessToken, `user,amount,reason\n${member},1,a\n${stranger},1,b\n${manager.userId},1,c\n`))
        .previewCreditAdjustments.rows;
      expect(rows.map((row) => row.error)).toEqual([null, 'Unknown user', 'Unknown user']);
      expect(code(await apply(manager.accessToken, `user,amount,reason\n${member},1,a\n${stranger},1,b\n`))).toBe('BAD_USER_INPUT');
      expect(await balanceOf(member)).toBe(0);

      expect(code(await preview(admin.accessToken, `user,amount,reason\n${`${member},1,r\n`.repeat(1001)}`))).toBe('PAYLOAD_TOO_LARGE');
      expect(code(await preview(user.accessToken, `user,amount,reason\n${member},1,a\n`))).toBe('FORBIDDEN');
    });
  });

  async function transactionsOf(userId: string): Promise<string[][]> {
    const csv = parseCsv(await (await download(`/api/v1/credits/transactions.csv?userId=${userId}`, admin.accessToken)).text());
    return csv.slice(1);
  }

  function download(path: string, bearer?: string): Promise<Response> {
    return fetch(`${api.url}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  }

  describe('CSV export of transactions', () => {
    it('downloads the filtered transactions, newest first, with formulas neutralised', async () => {
      const target = await funded(10);
      await ledger.debit({ userId: target, amount: Credits.parse('1.5'), type: 'usage', reason: 'chat' });
      dataOf(await adjust(admin.accessToken, { userId: target, amount: 2, reason: '=HYPERLINK("http://evil","click"), @me' }));

      const res = await download(`/api/v1/credits/transactions.csv?userId=${target}`, admin.accessToken);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="credit-transactions-\d{8}T\d{6}Z\.csv"$/);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const body = bytes.toString('utf8');
      const [header, ...rows] = parseCsv(body);
      expect(header).toEqual(['created_at', 'id', 'user_id', 'type', 'amount', 'balance_after', 'reason', 'actor_id', 'reverses_id', 'metadata']);
      expect(rows.map((row) => [row[2], row[3], row[4], row[5], row[6]])).toEqual([
        [target, 'adjustment', '2', '10.5', `'=HYPERLINK("http://evil","click"), @me`],
        [target, 'usage', '-1.5', '8.5', 'chat'],
        [target, 'grant', '10', '10', 'test funds'],
      ]);

      const usage = parseCsv(await (await download(`/api/v1/credits/transactions.csv?userId=${target}&type=usage,GRANT`, admin.accessToken)).text());
      expect(usage.slice(1).map((row) => row[3])).toEqual(['usage', 'grant']);
      const future = parseCsv(await (await download(`/api/v1/credits/transactions.csv?userId=${target}&from=2999-01-01`, admin.accessToken)).text());
      expect(future).toHaveLength(1);
    });

    it('pages through long histories by position, in order, without repeats or gaps', async () => {
      const target = await funded(0);
      // Posted in one database transaction: timestamps microseconds apart, most within one millisecond.
      const batch = [1, 2, 3, 4, 5, 6, 7].map((i) => ({ userId: target, amount: Credits.whole(i) }));
      const posted = (await ledger.postAdjustments(batch)).map((posting) => posting.transaction.id);
      const reports = api.app.get(LedgerReportsQuery);
      const read = async (order: 'newest' | 'oldest') => {
        const ids: string[] = [];
        for await (const transaction of reports.transactions({ userIds: [target] }, order, 2)) ids.push(transaction.id);
        return ids;
      };
      expect(await read('oldest')).toEqual(posted);
      expect(await read('newest')).toEqual([...posted].reverse());
    });

    it('shows users their own transactions, managers their teams’, and nobody else’s', async () => {
      const member = await funded(3, { inTeam: true });
      const stranger = await funded(4);
      const own = await createSignedInUser(api, 'USER');
      await ledger.grant({ userId: own.userId, amount: Credits.whole(1), type: 'grant' });

      const mine = parseCsv(await (await download('/api/v1/credits/transactions.csv', own.accessToken)).text()).slice(1);
      expect(mine.map((row) => row[2])).toEqual([own.userId]);
      expect((await download(`/api/v1/credits/transactions.csv?userId=${stranger}`, own.accessToken)).status).toBe(404);

      const team = parseCsv(await (await download('/api/v1/credits/transactions.csv', manager.accessToken)).text()).slice(1);
      const users = new Set(team.map((row) => row[2]));
      expect(users.has(member)).toBe(true);
      expect(users.has(stranger)).toBe(false);
      expect((await download(`/api/v1/credits/transactions.csv?userId=${member}`, manager.accessToken)).status).toBe(200);
      expect((await download(`/api/v1/credits/transactions.csv?userId=${stranger}`, manager.accessToken)).status).toBe(404);

      const since = encodeURIComponent(started.toISOString());
      const everyone = parseCsv(await (await download(`/api/v1/credits/transactions.csv?type=grant&from=${since}`, admin.accessToken)).text()).slice(1);
      const all = new Set(everyone.map((row) => row[2]));
      expect([all.has(member), all.has(stranger), all.has(own.userId)]).toEqual([true, true, true]);
    });

    it('answers errors in the contract’s JSON, not as a file', async () => {
      expect((await download('/api/v1/credits/transactions.csv')).status).toBe(401);
      const bad = await download('/api/v1/credits/transactions.csv?type=bogus', admin.accessToken);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-disposition')).toBeNull();
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
      expect((await download('/api/v1/credits/transactions.csv?from=yesterday', admin.accessToken)).status).toBe(400);
      expect((await download('/api/v1/credits/transactions.csv?unknown=1', admin.accessToken)).status).toBe(400);
    });
  });

  describe('monthly statements', () => {
    const month = (offset: number) => {
      const now = new Date();
      const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return date.toISOString().slice(0, 7);
    };
    interface Statement {
      month: string;
      openingBalance: number;
      closingBalance: number;
      transactionCount: number;
      totalsByType: Array<{ type: string; amount: number }>;
      lines: Array<{ id: string; type: string; amount: number }>;
    }
    const statement = (bearer: string, input: Record<string, unknown>) =>
      gql<{ creditStatement: Statement }>(api.url, STATEMENT, { input }, bearer);

    it('gives a user’s opening and closing balances, totals by type and the month’s lines', async () => {
      const target = await funded(50);
      await ledger.debit({ userId: target, amount: Credits.whole(20), type: 'usage' });
      dataOf(await adjust(admin.accessToken, { userId: target, amount: 5.125, reason: 'bonus' }));

      const current = dataOf(await statement(admin.accessToken, { userId: target, month: month(0) })).creditStatement;
      expect(current).toMatchObject({ month: month(0), openingBalance: 0, closingBalance: 35.125, transactionCount: 3 });
      expect(current.totalsByType).toEqual([
        { type: 'ADJUSTMENT', amount: 5.125 },
        { type: 'GRANT', amount: 50 },
        { type: 'USAGE', amount: -20 },
      ]);
      expect(current.lines.map((line) => [line.type, line.amount])).toEqual([
        ['GRANT', 50],
        ['USAGE', -20],
        ['ADJUSTMENT', 5.125],
      ]);
      // The next month opens where this one ends; the previous one had nothing.
      expect(dataOf(await statement(admin.accessToken, { userId: target, month: month(1) })).creditStatement).toMatchObject({
        openingBalance: 35.125,
        closingBalance: 35.125,
        transactionCount: 0,
        totalsByType: [],
        lines: [],
      });
      expect(dataOf(await statement(admin.accessToken, { userId: target, month: month(-1) })).creditStatement).toMatchObject({
        openingBalance: 0,
        closingBalance: 0,
      });
    });

    it('sums a team’s members, for its manager and admins only', async () => {
      const team = dataOf(await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `stmt ${randomUUID()}` }, admin.accessToken)).createTeam.id;
      const boss = await createSignedInUser(api, 'MANAGER');
      await addToTeam(team, boss.userId, 'manager');
      const a = await funded(7);
      const b = await funded(3);
      await addToTeam(team, a);
      await addToTeam(team, b);
      await ledger.debit({ userId: b, amount: Credits.whole(1), type: 'debit' });

      for (const bearer of [admin.accessToken, boss.accessToken]) {
        expect(dataOf(await statement(bearer, { teamId: team, month: month(0) })).creditStatement).toMatchObject({
          teamId: team,
          userId: null,
          openingBalance: 0,
          closingBalance: 9,
          transactionCount: 3,
          totalsByType: [
            { type: 'DEBIT', amount: -1 },
            { type: 'GRANT', amount: 10 },
          ],
        });
      }
      expect(code(await statement(manager.accessToken, { teamId: team, month: month(0) }))).toBe('NOT_FOUND');
      expect(code(await statement(user.accessToken, { teamId: team, month: month(0) }))).toBe('NOT_FOUND');
      expect(code(await statement(admin.accessToken, { teamId: randomUUID(), month: month(0) }))).toBe('NOT_FOUND');
    });

    it('shows users their own statement only, and refuses malformed months', async () => {
      const own = dataOf(await statement(user.accessToken, { month: month(0) })).creditStatement;
      expect(own.month).toBe(month(0));
      expect(code(await statement(user.accessToken, { userId: admin.userId, month: month(0) }))).toBe('NOT_FOUND');
      expect(code(await statement(admin.accessToken, { userId: randomUUID(), month: month(0) }))).toBe('NOT_FOUND');
      expect(code(await statement(admin.accessToken, { month: '2025-13' }))).toBe('BAD_USER_INPUT');
      expect(code(await statement(admin.accessToken, { userId: user.userId, teamId: teamId, month: month(0) }))).toBe('BAD_USER_INPUT');
    });

    it('downloads a statement as CSV: summary first, then the lines', async () => {
      const target = await funded(12);
      await ledger.debit({ userId: target, amount: Credits.parse('0.5'), type: 'usage', reason: 'image' });
      const res = await download(`/api/v1/credits/statements/${month(0)}.csv?userId=${target}`, admin.accessToken);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="credit-statement-${month(0)}-user-${target}.csv"`);
      const rows = parseCsv(await res.text());
      const blank = rows.findIndex((row) => row.length === 1 && row[0] === '');
      expect(Object.fromEntries(rows.slice(0, blank).map((row) => [row[0], row[1]]))).toMatchObject({
        statement: month(0),
        user_id: target,
        opening_balance: '0',
        total_grant: '12',
        total_usage: '-0.5',
        closing_balance: '11.5',
        transaction_count: '2',
      });
      expect(rows[blank + 1]![0]).toBe('created_at');
      expect(rows.slice(blank + 2).map((row) => [row[3], row[4], row[5]])).toEqual([
        ['grant', '12', '12'],
        ['usage', '-0.5', '11.5'],
      ]);
      expect((await download(`/api/v1/credits/statements/${month(0)}.csv?userId=${target}`, user.accessToken)).status).toBe(404);
      expect((await download(`/api/v1/credits/statements/2025-00.csv`, admin.accessToken)).status).toBe(400);
    });
  });
});

/** RFC 4180, enough for the files under test (a leading byte order mark is dropped). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted && char === '"' && source[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && char === '\r' && source[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
