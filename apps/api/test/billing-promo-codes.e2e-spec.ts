import { PromoRedemptionRepository } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { RedeemPromoCode } from '../src/contexts/billing/promotions/application/redeem-promo-code.handler';
import { SessionTokens } from '../src/contexts/identity/application/session-tokens.service';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser, createUser, Session } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const PROMO_CODE_FIELDS = 'id code credits maxUses uses remainingUses expiresAt creditsValidDays active redeemable createdBy deactivatedAt';
const CREATE = `mutation ($input: CreatePromoCodeInput!) { createPromoCode(input: $input) { ${PROMO_CODE_FIELDS} } }`;
const LIST = `query ($filter: PromoCodesFilterInput) {
  promoCodes(filter: $filter) { items { ${PROMO_CODE_FIELDS} } pageInfo { page perPage total totalPages } }
}`;
const DEACTIVATE = `mutation ($id: ID!) { deactivatePromoCode(id: $id) { ${PROMO_CODE_FIELDS} } }`;
const REDEEM = `mutation ($code: String!) {
  redeemPromoCode(code: $code) { code credits transaction { id type amount metadata } balance { balance reserved available } }
}`;

interface PromoCode {
  id: string;
  code: string;
  credits: number;
  maxUses: number | null;
  uses: number;
  remainingUses: number | null;
  expiresAt: string | null;
  creditsValidDays: number | null;
  active: boolean;
  redeemable: boolean;
  createdBy: string | null;
  deactivatedAt: string | null;
}

// A type alias, not an interface: it must fit GraphqlResult's Record<string, unknown>.
type Redemption = {
  redeemPromoCode: {
    code: string;
    credits: number;
    transaction: { id: string; type: string; amount: number; metadata: Record<string, unknown> };
    balance: { balance: number; reserved: number; available: number };
  };
};

const uniqueCode = (label = 'promo') => `${label}-${randomUUID().slice(0, 8)}`;

describe('Promo codes', () => {
  let api: TestApp;
  let db: DataSource;
  let admin: Session;

  beforeAll(async () => {
    api = await startTestApp();
    db = api.app.get(DataSource);
    admin = await createSignedInUser(api, 'ADMIN');
  });

  afterAll(() => api.close());

  afterEach(() => jest.restoreAllMocks());

  const createCode = async (input: Record<string, unknown>): Promise<PromoCode> =>
    dataOf(await gql<{ createPromoCode: PromoCode }>(api.url, CREATE, { input: { code: uniqueCode(), credits: 5, ...input } }, admin.accessToken))
      .createPromoCode;

  const redeem = (code: string, token: string) => gql<Redemption>(api.url, REDEEM, { code }, token);

  const balanceOf = async (token: string): Promise<number> =>
    dataOf(await gql<{ creditBalance: { balance: number } }>(api.url, '{ creditBalance { balance } }', undefined, token)).creditBalance
      .balance;

  const stored = async (id: string) =>
    ((await db.query(`SELECT uses, active FROM promo_code WHERE id = $1`, [id])) as Array<{ uses: number; active: boolean }>)[0]!;

  const promoTransactions = async (codeId: string) =>
    (await db.query(`SELECT * FROM ledger_transaction WHERE type = 'promo' AND metadata->>'promoCodeId' = $1`, [codeId])) as Array<{
      id: string;
      user_id: string;
      amount: string;
    }>;

  describe('administration', () => {
    it('creates a code stored upper-case, lists it with its usage, deactivates it, and audits both', async () => {
      const typed = uniqueCode('Spring');
      const code = await createCode({ code: typed, credits: 12.125, maxUses: 3, creditsValidDays: 30 });
      expect(code).toMatchObject({
        code: typed.toUpperCase(),
        credits: 12.125,
        maxUses: 3,
        uses: 0,
        remainingUses: 3,
        expiresAt: null,
        creditsValidDays: 30,
        active: true,
        redeemable: true,
        createdBy: admin.userId,
        deactivatedAt: null,
      });

      const listed = dataOf(await gql<{ promoCodes: { items: PromoCode[]; pageInfo: { total: number } } }>(
        api.url,
        LIST,
        { filter: { search: typed.slice(-8).toLowerCase(), active: true } },
        admin.accessToken,
      )).promoCodes;
      expect(listed.pageInfo.total).toBe(1);
      expect(listed.items[0]).toEqual(code);

      const user = await createSignedInUser(api, 'USER');
      dataOf(await redeem(typed, user.accessToken));
      const [afterUse] = dataOf(await gql<{ promoCodes: { items: PromoCode[] } }>(api.url, LIST, { filter: { search: typed } }, admin.accessToken))
        .promoCodes.items;
      expect(afterUse).toMatchObject({ uses: 1, remainingUses: 2 });

      const deactivated = dataOf(await gql<{ deactivatePromoCode: PromoCode }>(api.url, DEACTIVATE, { id: code.id }, admin.accessToken))
        .deactivatePromoCode;
      expect(deactivated).toMatchObject({ active: false, redeemable: false, uses: 1 });
      expect(deactivated.deactivatedAt).not.toBeNull();
      // Twice is harmless: same answer, one audit entry.
      const again = dataOf(await gql<{ deactivatePromoCode: PromoCode }>(api.url, DEACTIVATE, { id: code.id }, admin.accessToken));
      expect(again.deactivatePromoCode.deactivatedAt).toBe(deactivated.deactivatedAt);

      const inactive = dataOf(await gql<{ promoCodes: { items: PromoCode[] } }>(
        api.url,
        LIST,
        { filter: { search: typed, active: false } },
        admin.accessToken,
      )).promoCodes.items;
      expect(inactive.map((item) => item.id)).toEqual([code.id]);

      const audit = (await db.query(`SELECT action, actor_id, details FROM identity_audit_log WHERE target_id = $1 ORDER BY id`, [
        code.id,
      ])) as Array<{ action: string; actor_id: string; details: Record<string, unknown> }>;
      expect(audit.map((entry) => entry.action)).toEqual(['promo_code.created', 'promo_code.deactivated']);
      expect(audit[0]).toMatchObject({ actor_id: admin.userId, details: { code: typed.toUpperCase(), credits: 12.125, maxUses: 3 } });
    });

    it('pages the list newest first', async () => {
      const label = uniqueCode('page');
      const older = await createCode({ code: `${label}-a` });
      const newer = await createCode({ code: `${label}-b` });
      const pageOf = async (page: number) =>
        dataOf(await gql<{ promoCodes: { items: PromoCode[]; pageInfo: Record<string, number> } }>(
          api.url,
          LIST,
          { filter: { search: label, perPage: 1, page } },
          admin.accessToken,
        )).promoCodes;
      const [first, second] = await Promise.all([pageOf(1), pageOf(2)]);
      expect(second.pageInfo).toEqual({ page: 2, perPage: 1, total: 2, totalPages: 2 });
      expect([...first.items, ...second.items].map((item) => item.id)).toEqual([newer.id, older.id]);
    });

    it('refuses a duplicate code whatever its case, and bad terms, with clear errors', async () => {
      const code = await createCode({});
      const duplicate = await gql(api.url, CREATE, { input: { code: code.code.toLowerCase(), credits: 1 } }, admin.accessToken);
      expect(errorCode(duplicate)).toBe('CONFLICT');

      for (const input of [
        { code: 'has space', credits: 1 },
        { code: uniqueCode(), credits: 0 },
        { code: uniqueCode(), credits: 1.0005 },
        { code: uniqueCode(), credits: 1, maxUses: 0 },
        { code: uniqueCode(), credits: 1, expiresAt: new Date(Date.now() - 1000).toISOString() },
        { code: uniqueCode(), credits: 1, creditsValidDays: 0 },
        { code: uniqueCode(), credits: 1, unknownField: true },
      ]) {
        expect({ input, code: errorCode(await gql(api.url, CREATE, { input }, admin.accessToken)) }).toEqual({ input, code: 'BAD_USER_INPUT' });
      }
    });

    it('is for admins only: a USER can neither create, list nor deactivate codes', async () => {
      const code = await createCode({});
      const user = await createSignedInUser(api, 'USER');
      expect(errorCode(await gql(api.url, CREATE, { input: { code: uniqueCode(), credits: 1 } }, user.accessToken))).toBe('FORBIDDEN');
      expect(errorCode(await gql(api.url, LIST, {}, user.accessToken))).toBe('FORBIDDEN');
      expect(errorCode(await gql(api.url, DEACTIVATE, { id: code.id }, user.accessToken))).toBe('FORBIDDEN');
      expect(errorCode(await redeem(code.code, ''))).toBe('UNAUTHENTICATED');
    });

    it('answers NOT_FOUND for an unknown or malformed id', async () => {
      expect(errorCode(await gql(api.url, DEACTIVATE, { id: randomUUID() }, admin.accessToken))).toBe('NOT_FOUND');
      expect(errorCode(await gql(api.url, DEACTIVATE, { id: 'not-a-uuid' }, admin.accessToken))).toBe('NOT_FOUND');
    });
  });

  describe('redemption', () => {
    it('grants the credits as a promo transaction, the code in any case, once per user', async () => {
      const code = await createCode({ code: uniqueCode('Welcome'), credits: 7.5 });
      const user = await createSignedInUser(api, 'USER');
      const before = await balanceOf(user.accessToken);

      const redeemed = dataOf(await redeem(`  ${code.code.toLowerCase()} `, user.accessToken)).redeemPromoCode;
      expect(redeemed).toMatchObject({
        code: code.code,
        credits: 7.5,
        transaction: { type: 'PROMO', amount: 7.5, metadata: { promoCodeId: code.id, code: code.code } },
        balance: { balance: before + 7.5, reserved: 0, available: before + 7.5 },
      });
      expect(await balanceOf(user.accessToken)).toBe(before + 7.5);

      const twice = await redeem(code.code, user.accessToken);
      expect(errorCode(twice)).toBe('CONFLICT');
      expect(twice.errors?.[0]?.message).toBe('You have already redeemed this code');
      expect(await balanceOf(user.accessToken)).toBe(before + 7.5);
      expect(await stored(code.id)).toMatchObject({ uses: 1 });

      const [link] = (await db.query(`SELECT transaction_id FROM promo_redemption WHERE promo_code_id = $1`, [code.id])) as Array<{
        transaction_id: string;
      }>;
      expect(link!.transaction_id).toBe(redeemed.transaction.id);
    });

    it('is open to guests, who hold a balance too (credits:read)', async () => {
      const code = await createCode({});
      const guest = await createSignedInUser(api, 'GUEST');
      expect(dataOf(await redeem(code.code, guest.accessToken)).redeemPromoCode.credits).toBe(5);
    });

    it('answers unknown, deactivated and expired codes alike with NOT_FOUND, and grants nothing', async () => {
      const user = await createSignedInUser(api, 'USER');
      const deactivated = await createCode({});
      dataOf(await gql(api.url, DEACTIVATE, { id: deactivated.id }, admin.accessToken));
      const expired = await createCode({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
      await db.query(`UPDATE promo_code SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
      const before = await balanceOf(user.accessToken);

      const answers = await Promise.all([uniqueCode('unknown'), deactivated.code, expired.code].map((code) => redeem(code, user.accessToken)));
      expect(answers.map(errorCode)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
      expect(new Set(answers.map((answer) => answer.errors?.[0]?.message)).size).toBe(1);
      expect(await balanceOf(user.accessToken)).toBe(before);
      expect(await stored(deactivated.id)).toMatchObject({ uses: 0 });
      expect(await stored(expired.id)).toMatchObject({ uses: 0 });
    });

    it('stops a user guessing codes: after 10 wrong codes in an hour even a right one must wait', async () => {
      const code = await createCode({});
      const guesser = await createSignedInUser(api, 'USER');
      for (let i = 0; i < 10; i += 1) expect(errorCode(await redeem(uniqueCode('guess'), guesser.accessToken))).toBe('NOT_FOUND');
      const blocked = await redeem(code.code, guesser.accessToken);
      expect(errorCode(blocked)).toBe('TOO_MANY_ATTEMPTS');
      expect(await stored(code.id)).toMatchObject({ uses: 0 });
      // Others are not affected.
      const other = await createSignedInUser(api, 'USER');
      expect(dataOf(await redeem(code.code, other.accessToken)).redeemPromoCode.credits).toBe(5);
    });

    it('refuses a malformed code as BAD_USER_INPUT', async () => {
      const user = await createSignedInUser(api, 'USER');
      expect(errorCode(await redeem('no spaces inside', user.accessToken))).toBe('BAD_USER_INPUT');
      expect(errorCode(await redeem('x'.repeat(500), user.accessToken))).toBe('BAD_USER_INPUT');
    });

    it('grants credits that lapse creditsValidDays after redemption', async () => {
      const code = await createCode({ credits: 3, creditsValidDays: 30 });
      const user = await createSignedInUser(api, 'USER');
      const startedAt = Date.now();
      const { transaction } = dataOf(await redeem(code.code, user.accessToken)).redeemPromoCode;

      const [lot] = (await db.query(`SELECT amount, remaining, expires_at FROM credit_lot WHERE transaction_id = $1`, [transaction.id])) as Array<{
        amount: string;
        remaining: string;
        expires_at: Date;
      }>;
      expect(lot).toMatchObject({ amount: '3000', remaining: '3000' });
      const thirtyDays = 30 * 86_400_000;
      expect(lot!.expires_at.getTime()).toBeGreaterThanOrEqual(startedAt + thirtyDays - 1000);
      expect(lot!.expires_at.getTime()).toBeLessThanOrEqual(Date.now() + thirtyDays);
    });

    it('a code without creditsValidDays grants credits that never lapse', async () => {
      const code = await createCode({});
      const user = await createSignedInUser(api, 'USER');
      const { transaction } = dataOf(await redeem(code.code, user.accessToken)).redeemPromoCode;
      expect(await db.query(`SELECT 1 FROM credit_lot WHERE transaction_id = $1`, [transaction.id])).toEqual([]);
    });
  });

  describe('failures between claiming a use and linking the grant', () => {
    it('a grant that failed is made by the next attempt, without claiming a second use', async () => {
      const code = await createCode({ credits: 4, maxUses: 5 });
      const user = await createSignedInUser(api, 'USER');
      const before = await balanceOf(user.accessToken);
      jest.spyOn(api.app.get(LedgerService), 'grant').mockRejectedValueOnce(new Error('connection lost'));

      expect((await redeem(code.code, user.accessToken)).errors).toBeDefined();
      expect(await stored(code.id)).toMatchObject({ uses: 1 });
      expect(await promoTransactions(code.id)).toEqual([]);

      const retried = dataOf(await redeem(code.code, user.accessToken)).redeemPromoCode;
      expect(retried.balance.balance).toBe(before + 4);
      expect(await stored(code.id)).toMatchObject({ uses: 1 });
      expect((await promoTransactions(code.id)).map((tx) => tx.id)).toEqual([retried.transaction.id]);
    });

    it('a redemption left unpaid is paid by the housekeeping job, without the user trying again', async () => {
      const code = await createCode({ credits: 3, maxUses: 5 });
      const user = await createSignedInUser(api, 'USER');
      const before = await balanceOf(user.accessToken);
      jest.spyOn(api.app.get(LedgerService), 'grant').mockRejectedValueOnce(new Error('connection lost'));
      expect((await redeem(code.code, user.accessToken)).errors).toBeDefined();

      const { completed } = await api.app.get(RedeemPromoCode).completeUnpaid(0);
      expect(completed).toBeGreaterThanOrEqual(1);
      expect(await balanceOf(user.accessToken)).toBe(before + 3);
      expect(await promoTransactions(code.id)).toHaveLength(1);
      expect(errorCode(await redeem(code.code, user.accessToken))).toBe('CONFLICT');
      expect(await stored(code.id)).toMatchObject({ uses: 1 });
    });

    it('a grant made but not linked is linked by the next attempt, paid once', async () => {
      const code = await createCode({ credits: 4 });
      const user = await createSignedInUser(api, 'USER');
      const before = await balanceOf(user.accessToken);
      jest.spyOn(api.app.get(PromoRedemptionRepository), 'complete').mockRejectedValueOnce(new Error('connection lost'));

      expect((await redeem(code.code, user.accessToken)).errors).toBeDefined();
      const [granted] = await promoTransactions(code.id);
      expect(granted).toBeDefined();

      const retried = dataOf(await redeem(code.code, user.accessToken)).redeemPromoCode;
      expect(retried.transaction.id).toBe(granted!.id);
      expect(await balanceOf(user.accessToken)).toBe(before + 4);
      expect(await promoTransactions(code.id)).toHaveLength(1);
      expect(errorCode(await redeem(code.code, user.accessToken))).toBe('CONFLICT');
    });
  });

  describe('under concurrency', () => {
    it('100 users redeeming a code limited to 10 uses at once: exactly 10 succeed, 90 get CONFLICT', async () => {
      const code = await createCode({ credits: 2, maxUses: 10 });
      const sessions = api.app.get(SessionTokens);
      const users: Array<{ id: string; token: string }> = [];
      // Twenty at a time: quick, without starving the small test connection pool.
      for (let batch = 0; batch < 5; batch++) {
        users.push(
          ...(await Promise.all(
            Array.from({ length: 20 }, async () => {
              const user = await createUser(api, 'USER');
              return { id: user.id, token: (await sessions.issue(user.id)).accessToken };
            }),
          )),
        );
      }

      const results: Array<GraphqlResult<Redemption>> = await Promise.all(users.map((user) => redeem(code.code, user.token)));

      const succeeded = results.filter((result) => result.data?.redeemPromoCode);
      const refused = results.filter((result) => errorCode(result) === 'CONFLICT');
      expect(succeeded).toHaveLength(10);
      expect(refused).toHaveLength(90);
      expect(new Set(refused.map((result) => result.errors?.[0]?.message))).toEqual(new Set(['This code has been fully redeemed']));

      expect(await stored(code.id)).toMatchObject({ uses: 10 });
      const granted = await promoTransactions(code.id);
      expect(granted).toHaveLength(10);
      expect(granted.every((tx) => tx.amount === '2000')).toBe(true);
      const redemptions = (await db.query(`SELECT user_id, transaction_id FROM promo_redemption WHERE promo_code_id = $1`, [
        code.id,
      ])) as Array<{ user_id: string; transaction_id: string | null }>;
      expect(redemptions).toHaveLength(10);
      // Every redemption has its credits and every credit its redemption.
      expect(new Map(redemptions.map((r) => [r.transaction_id, r.user_id]))).toEqual(new Map(granted.map((tx) => [tx.id, tx.user_id])));

      const [listed] = dataOf(await gql<{ promoCodes: { items: PromoCode[] } }>(api.url, LIST, { filter: { search: code.code } }, admin.accessToken))
        .promoCodes.items;
      expect(listed).toMatchObject({ uses: 10, remainingUses: 0, redeemable: false, active: true });
    });
  });
});
