import { Credits } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createUser, signIn } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const DAY_FIELDS = 'day requests errors errorRate inputTokens outputTokens credits p95LatencyMs';
const DASHBOARD = `query {
  dashboard {
    business {
      users { total newThisWeek activeToday recentSignUps { email role } }
      credits { sold spent outstanding daily { day sold spent outstanding } }
      revenue { windowDays note byPackage { packageCode packageName currency amount payments } }
      ai { today { ${DAY_FIELDS} } daily { ${DAY_FIELDS} } channels { channel requests errors errorRate } providers { provider circuit keyConfigured } }
      queues { name waiting active delayed failed oldestWaitingSeconds reachable }
      largeTransactions { type userId amount }
    }
    personal {
      balance { userId balance reserved available }
      forecast { daysUntilEmpty averageDailySpend windowDays available }
      usageThisMonth { requests errors inputTokens outputTokens credits }
      recentCalls { id channel model status inputTokens outputTokens credits latencyMs }
    }
  }
}`;
const FORECAST = 'query { creditForecast { daysUntilEmpty averageDailySpend windowDays available } }';

interface AiDay {
  day: string;
  requests: number;
  errors: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  credits: number;
  p95LatencyMs: number | null;
}
interface Dashboard {
  business: {
    users: { total: number; newThisWeek: number; activeToday: number; recentSignUps: Array<{ email: string; role: string }> };
    credits: { sold: number; spent: number; outstanding: number; daily: Array<{ day: string; sold: number; spent: number; outstanding: number }> };
    revenue: { windowDays: number; note: string; byPackage: Array<Record<string, unknown>> };
    ai: { today: AiDay; daily: AiDay[]; channels: Array<Record<string, unknown>>; providers: Array<{ provider: string }> };
    queues: Array<{ name: string; reachable: boolean; waiting: number }>;
    largeTransactions: Array<{ type: string; userId: string; amount: number }>;
  } | null;
  personal: {
    balance: { userId: string; balance: number; reserved: number; available: number };
    forecast: Record<string, unknown>;
    usageThisMonth: { requests: number; errors: number; inputTokens: number; outputTokens: number; credits: number };
    recentCalls: Array<{ id: string; channel: string; status: string }>;
  };
}

/** UTC dates, `n` days before today, as the API names days. */
function daysAgo(n: number): string {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - n)).toISOString().slice(0, 10);
}
/** Noon UTC `n` days ago: well inside that day. */
const noonDaysAgo = (n: number) => `${daysAgo(n)}T12:00:00Z`;

describe('Operations dashboard: one query, business figures for staff, own figures for everyone else', () => {
  let api: TestApp;
  let db: DataSource;
  let admin: { accessToken: string; email: string };
  let alice: { userId: string; accessToken: string; email: string };
  let bob: { id: string; email: string };
  let aliceCalls: string[];
  let purchaseToday: string;

  async function insertLedgerRow(userId: string, type: string, millis: number, at: string): Promise<string> {
    const [row] = (await db.query(
      `INSERT INTO ledger_transaction (type, user_id, amount, balance_after, created_at) VALUES ($1, $2, $3, 0, $4) RETURNING id`,
      [type, userId, millis, at],
    )) as Array<{ id: string }>;
    return row!.id;
  }

  async function insertCall(userId: string, endpoint: string, status: string, latencyMs: number, tokens: [number, number], millis: number, at: string): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO ai_usage (id, user_id, endpoint, model, provider, upstream_model, stream, input_tokens, output_tokens, credits, latency_ms, status, created_at)
       VALUES ($1, $2, $3, 'gpt-4o-mini', 'openai', 'gpt-4o-mini', false, $4, $5, $6, $7, $8, $9)`,
      [id, userId, endpoint, tokens[0], tokens[1], millis, latencyMs, status, at],
    );
    return id;
  }

  async function insertPayment(userId: string, packageCode: string, status: string, cents: number, refunded: number, transactionId: string | null, paidAt: string | null) {
    await db.query(
      `INSERT INTO payment (user_id, package_id, package_code, package_name, credits, amount_cents, currency, status,
                            credited_transaction_id, refunded_cents, paid_at)
       SELECT $1, id, code, name, credits, $3, currency, $4, $5, $6, $7 FROM credit_package WHERE code = $2`,
      [userId, packageCode, cents, status, transactionId, refunded, paidAt],
    );
  }

  beforeAll(async () => {
    api = await startTestApp();
    db = api.app.get(DataSource);
    const ledger = api.app.get(LedgerService);

    // Three users: two sign in today, one was created ten days ago and never signs in.
    const adminUser = await createUser(api, 'ADMIN');
    const aliceUser = await createUser(api, 'USER');
    const bobUser = await createUser(api, 'USER');
    await db.query(`UPDATE identity_user SET created_at = now() - interval '10 days' WHERE id = $1`, [bobUser.id]);
    admin = { ...(await signIn(api, adminUser.email.value)), email: adminUser.email.value };
    alice = { ...(await signIn(api, aliceUser.email.value)), email: aliceUser.email.value };
    bob = { id: bobUser.id, email: bobUser.email.value };

    // Today, through the real ledger: alice buys 1,500 and spends 250.5; bob is granted 40 (not sold).
    purchaseToday = (await ledger.grant({ userId: alice.userId, type: 'purchase', amount: Credits.parse(1500) })).transaction.id;
    await ledger.debit({ userId: alice.userId, type: 'usage', amount: Credits.parse('250.5') });
    await ledger.grant({ userId: bob.id, type: 'grant', amount: Credits.parse(40) });

    // Earlier days, written as they were then: bob bought 2,000 and spent 100 three days ago, and
    // bought 999 forty days ago (outside the chart). His balance holds what those left him.
    const purchaseEarlier = await insertLedgerRow(bob.id, 'purchase', 2_000_000, noonDaysAgo(3));
    await insertLedgerRow(bob.id, 'usage', -100_000, noonDaysAgo(3));
    await insertLedgerRow(bob.id, 'purchase', 999_000, noonDaysAgo(40));
    await db.query(`UPDATE credit_account SET balance = balance + 2899000 WHERE user_id = $1`, [bob.id]);

    // Payments: a Pro today, a Starter three days ago with a quarter refunded, and a checkout never paid.
    await insertPayment(alice.userId, 'pro', 'paid', 8000, 0, purchaseToday, new Date().toISOString());
    await insertPayment(bob.id, 'starter', 'partially_refunded', 1000, 250, purchaseEarlier, noonDaysAgo(3));
    await insertPayment(alice.userId, 'business', 'pending', 60000, 0, null, null);

    // AI calls: alice today 4 successful (100–400 ms) and 1 failed; bob two days ago and eight days ago.
    aliceCalls = [];
    for (const [endpoint, latency] of [['openai', 100], ['openai', 200], ['graphql', 300], ['openai', 400]] as const) {
      aliceCalls.push(await insertCall(alice.userId, endpoint, 'ok', latency, [10, 20], 1000, new Date().toISOString()));
    }
    aliceCalls.push(await insertCall(alice.userId, 'openai', 'error', 50, [0, 0], 0, new Date().toISOString()));
    await insertCall(bob.id, 'anthropic', 'ok', 1000, [5, 5], 500, noonDaysAgo(2));
    await insertCall(bob.id, 'anthropic', 'ok', 3000, [5, 5], 500, noonDaysAgo(2));
    await insertCall(bob.id, 'mcp', 'ok', 700, [1, 1], 100, noonDaysAgo(8));
  });
  afterAll(() => api.close());

  it('gives staff the whole hub’s figures, exact to the seeded data', async () => {
    const { business } = dataOf(await gql<{ dashboard: Dashboard }>(api.url, DASHBOARD, {}, admin.accessToken)).dashboard;
    expect(business).not.toBeNull();

    expect(business!.users).toEqual({
      total: 3,
      newThisWeek: 2,
      activeToday: 2,
      recentSignUps: [
        { email: alice.email, role: 'USER' },
        { email: admin.email, role: 'ADMIN' },
        { email: bob.email, role: 'USER' },
      ],
    });

    const credits = business!.credits;
    expect({ sold: credits.sold, spent: credits.spent, outstanding: credits.outstanding }).toEqual({ sold: 3500, spent: 350.5, outstanding: 4188.5 });
    expect(credits.daily).toHaveLength(30);
    expect(credits.daily[0]!.day).toBe(daysAgo(29));
    expect(credits.daily[29]).toEqual({ day: daysAgo(0), sold: 1500, spent: 250.5, outstanding: 4188.5 });
    expect(credits.daily[26]).toEqual({ day: daysAgo(3), sold: 2000, spent: 100, outstanding: 2899 });
    // Walking back from today: yesterday ends where today began, the days before bob's purchase at 999.
    expect(credits.daily.slice(26, 29).map((d) => d.outstanding)).toEqual([2899, 2899, 2899]);
    expect(new Set(credits.daily.slice(0, 26).map((d) => `${d.sold}/${d.spent}/${d.outstanding}`))).toEqual(new Set(['0/0/999']));

    expect(business!.revenue).toEqual({
      windowDays: 30,
      note: 'By credit package: subscription plans do not exist yet.',
      byPackage: [
        { packageCode: 'pro', packageName: 'Pro', currency: 'usd', amount: '80.00', payments: 1 },
        { packageCode: 'starter', packageName: 'Starter', currency: 'usd', amount: '7.50', payments: 1 },
      ],
    });

    const ai = business!.ai;
    expect(ai.today).toMatchObject({ day: daysAgo(0), requests: 5, errors: 1, errorRate: 0.2, inputTokens: 40, outputTokens: 80, credits: 4 });
    // percentile_cont over 100, 200, 300, 400 ms.
    expect(ai.today.p95LatencyMs).toBeCloseTo(385, 6);
    expect(ai.daily.map((d) => d.day)).toEqual([6, 5, 4, 3, 2, 1, 0].map(daysAgo));
    expect(ai.daily[4]).toMatchObject({ requests: 2, errors: 0, errorRate: 0, inputTokens: 10, outputTokens: 10, credits: 1 });
    expect(ai.daily[4]!.p95LatencyMs).toBeCloseTo(2900, 6);
    for (const i of [0, 1, 2, 3, 5]) expect(ai.daily[i]).toMatchObject({ requests: 0, errors: 0, credits: 0, p95LatencyMs: null });
    expect(ai.channels).toEqual([
      { channel: 'openai', requests: 4, errors: 1, errorRate: 0.25 },
      { channel: 'graphql', requests: 1, errors: 0, errorRate: 0 },
    ]);
    expect(ai.providers.map((p) => p.provider)).toEqual(['openai', 'anthropic', 'gemini']);

    expect(business!.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['mail', 'media-image', 'media-video', 'operations']));
    expect(business!.queues.every((q) => q.reachable && q.waiting >= 0)).toBe(true);

    expect(business!.largeTransactions).toEqual([
      { type: 'PURCHASE', userId: alice.userId, amount: 1500 },
      { type: 'PURCHASE', userId: bob.id, amount: 2000 },
    ]);
  });

  it('rolls closed days up once and answers the same from the rollup', async () => {
    const first = dataOf(await gql<{ dashboard: Dashboard }>(api.url, DASHBOARD, {}, admin.accessToken)).dashboard.business!;
    const rolled = (await db.query(`SELECT day::text, sold::text, spent::text, net::text FROM ledger_daily_total WHERE day = $1::date`, [daysAgo(3)])) as unknown[];
    expect(rolled).toEqual([{ day: daysAgo(3), sold: '2000000', spent: '100000', net: '1900000' }]);
    const usageDay = (await db.query(`SELECT requests, p95_latency_ms FROM ai_usage_daily WHERE day = $1::date`, [daysAgo(2)])) as Array<{ requests: number; p95_latency_ms: number }>;
    expect(usageDay).toHaveLength(1);
    expect(usageDay[0]!.requests).toBe(2);
    // The open day is never rolled up: it can still change.
    expect(await db.query(`SELECT 1 FROM ledger_daily_total WHERE day = $1::date`, [daysAgo(0)])).toEqual([]);

    const again = dataOf(await gql<{ dashboard: Dashboard }>(api.url, DASHBOARD, {}, admin.accessToken)).dashboard.business!;
    expect(again.credits).toEqual(first.credits);
    expect(again.ai.daily).toEqual(first.ai.daily);
  });

  it('gives a user their own figures only, and no business figures', async () => {
    const result = await gql<{ dashboard: Dashboard }>(api.url, DASHBOARD, {}, alice.accessToken);
    const { business, personal } = dataOf(result).dashboard;
    expect(business).toBeNull();
    expect(personal.balance).toEqual({ userId: alice.userId, balance: 1249.5, reserved: 0, available: 1249.5 });
    expect(personal.usageThisMonth).toEqual({ requests: 5, errors: 1, inputTokens: 40, outputTokens: 80, credits: 4 });
    // Her five calls, none of bob's.
    expect(new Set(personal.recentCalls.map((c) => c.id))).toEqual(new Set(aliceCalls));
    expect(personal.forecast).toEqual(dataOf(await gql<{ creditForecast: unknown }>(api.url, FORECAST, {}, alice.accessToken)).creditForecast);
    expect(personal.forecast).toMatchObject({ windowDays: 30, available: 1249.5, averageDailySpend: 8.35 });
  });

  it('refuses anonymous callers', async () => {
    expect(errorCode(await gql(api.url, 'query { dashboard { personal { balance { balance } } } }'))).toBe('UNAUTHENTICATED');
  });
});
