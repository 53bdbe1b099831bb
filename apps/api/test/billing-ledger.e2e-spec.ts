import { COUNTER_ACCOUNT, Credits, User, UserRepository } from '@sah/domain';
import { LedgerQuery, LedgerRepository, verifyLedger } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { LedgerHousekeeping } from '../src/contexts/billing/jobs/ledger-housekeeping';
import { ROOT_LOGGER } from '../src/platform/logging/logging.module';
import { fund } from './support/billing-fixtures';
import { FakeSmtp } from './support/fake-smtp';
import { createUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const credits = (value: string | number) => Credits.parse(value);

describe('billing: the credit ledger', () => {
  let api: TestApp;
  let smtp: FakeSmtp;
  let ledger: LedgerService;
  let query: LedgerQuery;
  let db: DataSource;

  beforeAll(async () => {
    smtp = new FakeSmtp();
    await smtp.start();
    api = await startTestApp({ SMTP_URL: smtp.url, WELCOME_CREDITS: '10', LOW_BALANCE_THRESHOLD: '10', DATABASE_POOL_MAX: '10' });
    ledger = api.app.get(LedgerService);
    query = api.app.get(LedgerQuery);
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await smtp.stop();
  });

  const balance = async (userId: string) => {
    const account = await ledger.balance(userId);
    return { balance: account.balance.toString(), reserved: account.reserved.toString() };
  };

  describe('integrity enforced by the database', () => {
    it('refuses to change or delete entries and transactions', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 5);
      for (const sql of [
        `UPDATE ledger_entry SET amount = amount * 2`,
        `DELETE FROM ledger_entry`,
        `UPDATE ledger_transaction SET reason = 'edited'`,
        `DELETE FROM ledger_transaction`,
        `TRUNCATE ledger_entry CASCADE`,
      ]) {
        await expect(db.query(sql)).rejects.toThrow(/append-only/);
      }
    });

    it('refuses a transaction whose entries do not sum to zero, at commit', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 5);
      const [{ id: accountId }] = (await db.query(`SELECT id FROM credit_account WHERE user_id = $1`, [user.id])) as Array<{ id: string }>;
      const unbalanced = db.transaction(async (manager) => {
        const [{ id }] = (await manager.query(
          `INSERT INTO ledger_transaction (type, user_id, amount, balance_after) VALUES ('grant', $1, 1000, 6000) RETURNING id`,
          [user.id],
        )) as Array<{ id: string }>;
        await manager.query(`INSERT INTO ledger_entry (transaction_id, account_id, amount) VALUES ($1, $2, 1000)`, [id, accountId]);
      });
      await expect(unbalanced).rejects.toThrow(/does not balance/);
    });

    it('refuses a negative balance even if code asked for one', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 1);
      await expect(db.query(`UPDATE credit_account SET balance = -1 WHERE user_id = $1`, [user.id])).rejects.toThrow(/chk_credit_account/);
    });
  });

  describe('accounts and welcome credits', () => {
    it('opens the account on registration and grants the welcome credits once on verification', async () => {
      const user = await createUser(api);
      const users = api.app.get(UserRepository);
      await users.save(user, [{ type: 'identity.user_registered', userId: user.id, occurredAt: new Date() }]);
      await eventually(() => query.account(user.id), (account) => account !== null);
      // Delivered twice (as an at-least-once relay may): still one grant.
      const verified = { type: 'identity.email_verified' as const, userId: user.id, occurredAt: new Date() };
      await users.save(user, [verified, verified]);
      const account = await eventually(() => query.account(user.id), (a) => a?.balance.toString() === '10');
      expect(account?.balance.toString()).toBe('10');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { items } = await query.transactions({ userIds: [user.id] }, { offset: 0, limit: 10 });
      expect(items.map((t) => [t.type, t.amount.toString()])).toEqual([['welcome', '10']]);
    });
  });

  describe('holds', () => {
    it('reserves, captures at most what was held and gives the rest back', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 20);
      const { hold } = await ledger.hold({ userId: user.id, amount: credits(8), description: 'chat stream' });
      expect(await balance(user.id)).toEqual({ balance: '20', reserved: '8' });
      await expect(ledger.debit({ userId: user.id, type: 'debit', amount: credits(13) })).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDITS' });
      await expect(ledger.capture(hold.id, credits(9))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });

      const captured = await ledger.capture(hold.id, credits('2.375'));
      expect(captured.hold).toMatchObject({ status: 'captured' });
      expect(await balance(user.id)).toEqual({ balance: '17.625', reserved: '0' });
      // Capturing again with the same amount is a replay; another amount a conflict; release too.
      expect((await ledger.capture(hold.id, credits('2.375'))).replayed).toBe(true);
      await expect(ledger.capture(hold.id, credits(1))).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(ledger.release(hold.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('answers holds retried with one idempotency key with the first hold, and refuses the key for another request', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 10);
      const idempotency = { scope: 'test-hold', key: randomUUID(), requestHash: 'first' };
      const holds = await Promise.all(Array.from({ length: 5 }, () => ledger.hold({ userId: user.id, amount: credits(2), idempotency })));
      expect(new Set(holds.map(({ hold }) => hold.id)).size).toBe(1);
      expect(holds.filter(({ replayed }) => !replayed)).toHaveLength(1);
      expect(await balance(user.id)).toEqual({ balance: '10', reserved: '2' });
      await expect(ledger.hold({ userId: user.id, amount: credits(3), idempotency: { ...idempotency, requestHash: 'other' } })).rejects.toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
    });

    it('builds its answers inline: a hold and its capture run none of the JSON builders as functions of their own', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 5);
      const builders = ['ledger_account_json', 'ledger_hold_json', 'ledger_transaction_json'];
      const calls = await db.transaction(async (manager) => {
        // Counts this transaction's calls of every function not inlined into its caller.
        await manager.query(`SET LOCAL track_functions = 'all'`);
        const [{ held }] = (await manager.query(
          `SELECT ledger_hold($1, 1000, now() + interval '1 hour', 'inline', NULL, NULL, NULL, '{}', 0) AS held`,
          [user.id],
        )) as Array<{ held: { status: string; hold: { id: string } } }>;
        expect(held.status).toBe('held');
        await manager.query(`SELECT ledger_capture($1, 500, 'inline', '{}', $2, 0)`, [held.hold.id, COUNTER_ACCOUNT.usage]);
        return (await manager.query(
          `SELECT proname, coalesce(pg_stat_get_xact_function_calls(oid), 0)::int AS calls FROM pg_proc
            WHERE proname = ANY($1) OR proname IN ('ledger_hold', 'ledger_capture') ORDER BY proname`,
          [builders],
        )) as Array<{ proname: string; calls: number }>;
      });
      // The callers themselves are counted: the count works, and the builders ran inside them.
      expect(Object.fromEntries(calls.map((row) => [row.proname, row.calls]))).toEqual({
        ledger_capture: 1,
        ledger_hold: 1,
        ...Object.fromEntries(builders.map((name) => [name, 0])),
      });
    });

    it('writes captures arriving together in one statement, each answering its own result', async () => {
      const users = await Promise.all([createUser(api), createUser(api), createUser(api)]);
      for (const user of users) await fund(api, user.id, 10);
      const holds = await Promise.all(users.flatMap((user) => [1, 2].map(async () => (await ledger.hold({ userId: user.id, amount: credits(3) })).hold.id)));
      const [settled] = holds.splice(0, 1);
      await ledger.capture(settled, credits(1));
      const statements = jest.spyOn((db.driver as PostgresDriver).master as Pool, 'query');

      const results = await Promise.allSettled([
        ...holds.map((holdId) => ledger.capture(holdId, credits(2))),
        ledger.capture(settled, credits(1)), // a replay
        ledger.capture(settled, credits(2)), // another amount: a conflict
      ]);
      const batches = statements.mock.calls.map(([statement]) => statement as unknown as QueryConfig).filter((statement) => statement.name?.startsWith('ledger_capture_batch'));
      statements.mockRestore();
      expect(batches).toHaveLength(1);
      expect(JSON.parse(String(batches[0].values?.[0]))).toHaveLength(7);
      expect(results.map((result) => (result.status === 'fulfilled' ? (result.value.replayed ? 'replayed' : result.value.hold.status) : (result.reason as { code: string }).code))).toEqual([
        ...holds.map(() => 'captured'),
        'replayed',
        'CONFLICT',
      ]);
      expect(await Promise.all(users.map((user) => balance(user.id)))).toEqual([
        { balance: '7', reserved: '0' },
        { balance: '6', reserved: '0' },
        { balance: '6', reserved: '0' },
      ]);
    });

    it('writes holds arriving together in one statement, each answering its own result', async () => {
      const [rich, poor] = await Promise.all([createUser(api), createUser(api)]);
      await fund(api, rich.id, 10);
      await fund(api, poor.id, 2);
      const statements = jest.spyOn((db.driver as PostgresDriver).master as Pool, 'query');

      const results = await Promise.allSettled([
        ledger.hold({ userId: rich.id, amount: credits(4) }),
        ledger.hold({ userId: poor.id, amount: credits(1) }),
        ledger.hold({ userId: rich.id, amount: credits(5) }),
        ledger.hold({ userId: poor.id, amount: credits(2) }), // only 1 is left after the hold before it
        ledger.hold({ userId: rich.id, amount: credits(2) }), // only 1 is left
      ]);
      const batches = statements.mock.calls.map(([statement]) => statement as unknown as QueryConfig).filter((statement) => statement.name?.startsWith('ledger_hold_batch'));
      statements.mockRestore();
      expect(batches).toHaveLength(1);
      expect(results.map((result) => (result.status === 'fulfilled' ? result.value.hold.amount.toString() : (result.reason as { code: string }).code))).toEqual([
        '4',
        '1',
        '5',
        'INSUFFICIENT_CREDITS',
        'INSUFFICIENT_CREDITS',
      ]);
      expect(await balance(rich.id)).toEqual({ balance: '10', reserved: '9' });
      expect(await balance(poor.id)).toEqual({ balance: '2', reserved: '1' });
    });

    it('captures the rest of a batch when one capture cannot be written', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 10);
      const { hold } = await ledger.hold({ userId: user.id, amount: credits(4) });
      const [good, bad] = await Promise.allSettled([ledger.capture(hold.id, credits(3)), ledger.capture('not-a-hold-id', credits(1))]);
      expect(good).toMatchObject({ status: 'fulfilled', value: { hold: { status: 'captured' } } });
      expect(bad).toMatchObject({ status: 'rejected' });
      expect(await balance(user.id)).toEqual({ balance: '7', reserved: '0' });
    });

    it('refuses a hold beyond the available balance, and releases twice harmlessly', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 5);
      await expect(ledger.hold({ userId: user.id, amount: credits(6) })).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDITS' });
      const { hold } = await ledger.hold({ userId: user.id, amount: credits(5) });
      await ledger.release(hold.id);
      expect((await ledger.release(hold.id)).replayed).toBe(true);
      expect(await balance(user.id)).toEqual({ balance: '5', reserved: '0' });
    });

    it('releases holds past their expiry in the housekeeping job, and logs each (its work was never charged)', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 5);
      const { hold } = await ledger.hold({ userId: user.id, amount: credits(4), ttlSeconds: 1, metadata: { endpoint: 'openai', model: 'gpt-4o' } });
      const warn = jest.spyOn(api.app.get<Logger>(ROOT_LOGGER), 'warn');
      try {
        await api.app.get(LedgerHousekeeping).releaseExpiredHolds(new Date(Date.now() + 2_000));
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({ hold_id: hold.id, user_id: user.id, held: '4', metadata: { endpoint: 'openai', model: 'gpt-4o' } }),
          'a credit hold expired unsettled: its work was not charged',
        );
      } finally {
        warn.mockRestore();
      }
      expect((await query.hold(hold.id))?.status).toBe('expired');
      expect(await balance(user.id)).toEqual({ balance: '5', reserved: '0' });
    });

    it('goes on with the rest of the batch when a due hold was captured in the meantime', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 5);
      const captured = (await ledger.hold({ userId: user.id, amount: credits(1), ttlSeconds: 1 })).hold;
      const due = (await ledger.hold({ userId: user.id, amount: credits(2), ttlSeconds: 1 })).hold;
      await ledger.capture(captured.id, credits(1));
      // As if the capture landed between the job's query and its release.
      const spy = jest.spyOn(api.app.get(LedgerRepository), 'dueHolds').mockResolvedValueOnce([captured.id, due.id]);
      try {
        expect(await api.app.get(LedgerHousekeeping).releaseExpiredHolds(new Date(Date.now() + 2_000))).toEqual({ released: 1 });
      } finally {
        spy.mockRestore();
      }
      expect((await query.hold(due.id))?.status).toBe('expired');
      expect(await balance(user.id)).toEqual({ balance: '4', reserved: '0' });
    });
  });

  describe('expiring credits', () => {
    it('spends the soonest-expiring credits first and expires what is left with a ledger entry', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 10);
      const soon = new Date(Date.now() + 60_000);
      const later = new Date(Date.now() + 120_000);
      await ledger.grant({ userId: user.id, type: 'promo', amount: credits(3), expiresAt: later });
      await ledger.grant({ userId: user.id, type: 'promo', amount: credits(4), expiresAt: soon });
      await ledger.debit({ userId: user.id, type: 'debit', amount: credits(5) });

      const lots = (await db.query(
        `SELECT l.remaining, l.expires_at FROM credit_lot l JOIN credit_account a ON a.id = l.account_id
          WHERE a.user_id = $1 ORDER BY l.expires_at`,
        [user.id],
      )) as Array<{ remaining: string }>;
      expect(lots.map((lot) => lot.remaining)).toEqual(['0', '2000']);

      await api.app.get(LedgerHousekeeping).expireLapsedCredits(new Date(later.getTime() + 1));
      expect(await balance(user.id)).toEqual({ balance: '10', reserved: '0' });
      const { items } = await query.transactions({ userIds: [user.id], types: ['expiry'] }, { offset: 0, limit: 10 });
      expect(items.map((t) => t.amount.toString())).toEqual(['-2']);
      expect((await verifyLedger(db)).problems).toEqual([]);
    });
  });

  describe('low-balance alerts', () => {
    it('mails once per crossing below the threshold, not once per deduction, and records credit.low', async () => {
      const user = await createUser(api);
      await fund(api, user.id, 20);
      const lowEvents = async () =>
        ((await db.query(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'credit.low' AND payload->>'userId' = $1`, [user.id])) as Array<{
          n: number;
        }>)[0].n;

      await ledger.debit({ userId: user.id, type: 'debit', amount: credits(12) });
      await ledger.debit({ userId: user.id, type: 'debit', amount: credits(1) });
      await ledger.debit({ userId: user.id, type: 'debit', amount: credits(1) });
      await smtp.waitFor(user.email.value, /running low/);
      expect(await lowEvents()).toBe(1);

      // Recovering re-arms the alert; the next crossing mails again.
      await fund(api, user.id, 30);
      await ledger.debit({ userId: user.id, type: 'debit', amount: credits(35) });
      expect(await lowEvents()).toBe(2);
      await eventually(
        async () => smtp.messages.filter((m) => m.to.includes(user.email.value.toLowerCase())).length,
        (n) => n === 2,
      );

      // Then to zero: credit.depleted, and one more mail since the user was told it was low.
      await ledger.debit({ userId: user.id, type: 'debit', amount: credits(1) });
      const depleted = await eventually(
        async () => smtp.messages.filter((m) => m.to.includes(user.email.value.toLowerCase()) && /out of/.test(m.subject)).length,
        (n) => n === 1,
      );
      expect(depleted).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(smtp.messages.filter((m) => m.to.includes(user.email.value.toLowerCase()))).toHaveLength(3);
    });
  });

  describe('under concurrency', () => {
    it('survives 10,000 randomized grants, debits, holds, captures, releases and refunds with the books intact', async () => {
      const users: User[] = await Promise.all(Array.from({ length: 20 }, () => createUser(api)));
      for (const user of users) await fund(api, user.id, 50);
      const openHolds: string[] = [];
      const spends: string[] = [];
      const outcomes: Record<string, number> = {};
      let seed = 42;
      const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
      const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
      const amount = () => Credits.fromMillis(1 + Math.floor(random() * 5_000));
      const admin = randomUUID();

      const operation = async (): Promise<string> => {
        const userId = pick(users).id;
        const roll = random();
        if (roll < 0.2) {
          await ledger.grant({ userId, type: 'grant', amount: amount(), reason: 'random grant' });
          return 'grant';
        }
        if (roll < 0.5) {
          const { transaction } = await ledger.debit({ userId, type: 'debit', amount: amount(), idempotency: roll < 0.3 ? { scope: 'random', key: String(Math.floor(random() * 500)), requestHash: 'fixed' } : undefined });
          spends.push(transaction.id);
          return 'debit';
        }
        if (roll < 0.65) {
          openHolds.push((await ledger.hold({ userId, amount: amount() })).hold.id);
          return 'hold';
        }
        if (roll < 0.8 && openHolds.length > 0) {
          const holdId = openHolds.splice(Math.floor(random() * openHolds.length), 1)[0];
          await ledger.capture(holdId, Credits.fromMillis(Math.floor(random() * 1_000)));
          return 'capture';
        }
        if (roll < 0.9 && openHolds.length > 0) {
          await ledger.release(openHolds.splice(Math.floor(random() * openHolds.length), 1)[0]);
          return 'release';
        }
        if (spends.length > 0) {
          await ledger.refund(pick(spends), Credits.fromMillis(1 + Math.floor(random() * 2_000)), { reason: 'random refund', actorId: admin });
          return 'refund';
        }
        return 'skip';
      };

      let next = 0;
      const worker = async () => {
        while (next < 10_000) {
          next += 1;
          const outcome = await operation().catch((error: { code?: string }) => error.code ?? 'error');
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));

      // Only expected refusals: no unexplained errors.
      expect(Object.keys(outcomes).filter((o) => !['grant', 'debit', 'hold', 'capture', 'release', 'refund', 'skip', 'INSUFFICIENT_CREDITS', 'BAD_USER_INPUT', 'IDEMPOTENCY_KEY_REUSED', 'CONFLICT'].includes(o))).toEqual([]);
      expect(outcomes.debit).toBeGreaterThan(1_000);
      expect(outcomes.capture).toBeGreaterThan(100);
      expect(outcomes.refund).toBeGreaterThan(100);
      const report = await verifyLedger(db);
      expect(report.problems).toEqual([]);
      const negative = (await db.query(`SELECT count(*)::int AS n FROM credit_account WHERE balance < 0 OR balance < reserved`)) as Array<{ n: number }>;
      expect(negative[0].n).toBe(0);
    }, 300_000);
  });
});
