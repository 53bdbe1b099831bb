import { DataSource } from 'typeorm';
import { BudgetClock } from '../src/contexts/billing/application/budget-clock';
import { settled } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id monthlyCreditBudget tokensPerMinute } }
}`;
const SET_LIMITS = 'mutation ($input: SetApiKeyLimitsInput!) { setApiKeyLimits(input: $input) { id requestsPerMinute monthlyCreditBudget tokensPerMinute } }';
const CHAT = 'mutation ($input: ChatCompletionInput!) { chatCompletion(input: $input) { credits } }';

/** Each call: 10 tokens in, 90 out at gpt-4o's 10 credits per 1,000 = 1 credit captured of a ~1.1 credit hold. */
const USAGE = { input: 10, output: 90 };
const BUDGET = 10;

interface OpenAiError {
  error: { type: string; code: string; message: string };
}

describe("an API key's monthly credit budget and tokens-per-minute limit", () => {
  let api: TestApp;
  let second: TestApp;
  let openai: FakeOpenAI;

  beforeAll(async () => {
    openai = new FakeOpenAI();
    await openai.start();
    // No workers: media jobs stay queued, their holds open.
    api = await startTestApp({ ...openai.env(), WORKERS: 'off' });
    // A second API instance on the same database and Redis, as in a replicated deployment.
    second = await startTestApp({ ...openai.env(), WORKERS: 'off', DATABASE_URL: api.config.database.url, REDIS_KEY_PREFIX: api.config.redis.keyPrefix });
  });
  afterAll(async () => {
    await second?.close();
    await api?.close();
    await openai.stop();
  });
  beforeEach(() => openai.reset());
  afterEach(() => jest.restoreAllMocks());

  /** One call, read to its end; answered once both instances have settled what they answered (as a client's next call would find them). */
  const chat = async (app: TestApp, key: string, options: { stream?: boolean; maxTokens?: number } = {}) => {
    const res = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: options.maxTokens ?? 100,
        ...(options.stream ? { stream: true } : {}),
      }),
    });
    const body = await res.arrayBuffer();
    await settled(api, second);
    return new Response(body, { status: res.status, headers: res.headers });
  };

  async function userWithKey(limits: { monthlyCreditBudget?: number; tokensPerMinute?: number }, scopes = ['ai.use']) {
    const session = await createSignedInUser(api);
    await fund(api, session.userId, 1000);
    const created = dataOf(
      await gql<{ createApiKey: { secret: string; apiKey: { id: string; monthlyCreditBudget: number | null; tokensPerMinute: number | null } } }>(
        api.url,
        CREATE_KEY,
        { input: { name: 'budgeted', scopes, ...limits } },
        session.accessToken,
      ),
    ).createApiKey;
    expect(created.apiKey).toMatchObject({ monthlyCreditBudget: limits.monthlyCreditBudget ?? null, tokensPerMinute: limits.tokensPerMinute ?? null });
    return { ...session, key: created.secret, keyId: created.apiKey.id };
  }

  /** What the key's holds captured, and what they still hold, per month (from the ledger itself). */
  async function ledgerOf(keyId: string) {
    const rows = (await api.app.get(DataSource).query(
      `SELECT to_char(budget_month, 'YYYY-MM') AS month,
              coalesce(sum(captured) FILTER (WHERE status = 'captured'), 0)::text AS captured,
              coalesce(sum(amount) FILTER (WHERE status = 'active'), 0)::text AS active
         FROM credit_hold WHERE budget_api_key_id = $1 GROUP BY budget_month ORDER BY budget_month`,
      [keyId],
    )) as { month: string; captured: string; active: string }[];
    const spend = (await api.app.get(DataSource).query(
      `SELECT to_char(month, 'YYYY-MM') AS month, spent::text, reserved::text FROM api_key_monthly_spend WHERE api_key_id = $1 ORDER BY month`,
      [keyId],
    )) as { month: string; spent: string; reserved: string }[];
    return { holds: rows, spend };
  }

  it('never lets 30 concurrent calls (streaming and not, on two API instances) spend more than the budget, and works again next month', async () => {
    const { key, keyId, accessToken } = await userWithKey({ monthlyCreditBudget: BUDGET });
    // Slow answers keep many holds open at once: the budget must count them, not only what was paid.
    openai.reply({ usage: USAGE, firstByteDelayMs: 300 });

    const calls = await Promise.all(
      Array.from({ length: 30 }, (_, i) => chat(i % 2 === 0 ? api : second, key, { stream: i % 3 === 0 }).then(async (res) => ({ res, body: await res.text() }))),
    );
    const statuses = calls.map(({ res }) => res.status);
    expect(statuses.every((status) => status === 200 || status === 402)).toBe(true);
    expect(statuses.filter((status) => status === 402).length).toBeGreaterThan(0);
    const refused = calls.find(({ res }) => res.status === 402);
    const error = (JSON.parse(refused?.body ?? '{}') as OpenAiError).error;
    expect(error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
    expect(error.message).toContain(`monthly budget of ${BUDGET} credits`);

    // Fill what is left one call at a time, until the budget refuses.
    let sequential = 0;
    for (let i = 0; i < 20; i++) {
      const res = await chat(i % 2 === 0 ? second : api, key, { stream: i % 2 === 0 });
      await res.text();
      if (res.status === 402) break;
      expect(res.status).toBe(200);
      sequential += 1;
    }
    const served = statuses.filter((status) => status === 200).length + sequential;
    // The provider was called only for the calls that got their hold.
    expect(openai.requests.length).toBe(served);

    const month = new Date().toISOString().slice(0, 7);
    const { holds, spend } = await ledgerOf(keyId);
    expect(holds).toEqual([{ month, captured: String(served * 1000), active: '0' }]);
    // Spent at most the budget, and nearly all of it (a hold of ~1.1 no longer fits), kept in step with the holds.
    expect(served * 1000).toBeLessThanOrEqual(BUDGET * 1000);
    expect(served).toBeGreaterThanOrEqual(BUDGET - 2);
    expect(spend).toEqual([{ month, spent: String(served * 1000), reserved: '0' }]);

    // GraphQL callers get the same refusal in GraphQL's shape.
    const viaGraphql = (await gql(api.url, CHAT, { input: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 } }, key)) as GraphqlResult;
    expect(errorCode(viaGraphql)).toBe('BUDGET_EXCEEDED');
    expect(viaGraphql.errors?.[0]?.message).toContain('monthly budget');
    // And Gemini's clients in Google's.
    const gemini = await fetch(`${second.url}/v1beta/models/gpt-4o:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 100 } }),
    });
    expect(gemini.status).toBe(402);
    expect(((await gemini.json()) as { error: { status: string; message: string } }).error).toMatchObject({ status: 'FAILED_PRECONDITION' });
    expect(openai.requests.length).toBe(served);

    // The next calendar month (UTC) starts afresh, on both instances.
    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 1));
    for (const app of [api, second]) jest.spyOn(app.app.get(BudgetClock), 'now').mockReturnValue(nextMonth);
    expect((await chat(second, key)).status).toBe(200);
    const streamed = await chat(api, key, { stream: true });
    expect(streamed.status).toBe(200);
    await streamed.text();
    // A stream is captured once it has ended, which a loaded host may do after the client read the last byte.
    const next = await eventually(() => ledgerOf(keyId), ({ spend }) => spend[1]?.reserved === '0');
    expect(next.spend[1]).toEqual({ month: nextMonth.toISOString().slice(0, 7), spent: '2000', reserved: '0' });

    // Raising the budget lets the key spend again this month; removing it lifts the budget.
    jest.restoreAllMocks();
    const raised = dataOf(await gql<{ setApiKeyLimits: { monthlyCreditBudget: number } }>(api.url, SET_LIMITS, { input: { id: keyId, monthlyCreditBudget: BUDGET + 5 } }, accessToken));
    expect(raised.setApiKeyLimits.monthlyCreditBudget).toBe(BUDGET + 5);
    expect((await chat(api, key)).status).toBe(200);
  }, 120_000);

  it("counts a media job's hold against the key's budget (REST, 402 BUDGET_EXCEEDED in the contract's error shape)", async () => {
    const { key, keyId } = await userWithKey({ monthlyCreditBudget: 70 }, ['media.create']);
    const video = (app: TestApp) =>
      fetch(`${app.url}/api/sora2/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'a lighthouse at dusk', duration: 4 }),
      });
    // 30 credits each: two fit in 70, a third does not, whichever instance takes it.
    expect((await video(api)).status).toBe(202);
    expect((await video(second)).status).toBe(202);
    const refused = await video(api);
    expect(refused.status).toBe(402);
    const body = (await refused.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
    expect(body.error).toMatchObject({ code: 'BUDGET_EXCEEDED', details: { budget: 70, spent_or_held: 60 } });
    expect(body.error.message).toContain("This API key's monthly budget of 70 credits");
    expect((await ledgerOf(keyId)).spend).toEqual([{ month: new Date().toISOString().slice(0, 7), spent: '0', reserved: '60000' }]);
  });

  it('refuses a call over the tokens-per-minute limit with 429 and Retry-After, counting estimates corrected to what was used', async () => {
    const { key, accessToken, userId } = await userWithKey({ tokensPerMinute: 1000 });
    openai.reply({ usage: { input: 10, output: 10 } });

    // Counted on the estimate (prompt and max_tokens), then corrected to the 20 tokens used: a second
    // call of 600 fits only because the first was corrected.
    expect((await chat(api, key, { maxTokens: 600 })).status).toBe(200);
    expect((await chat(second, key, { maxTokens: 600, stream: true }).then(async (res) => (await res.text(), res.status)))).toBe(200);

    // 40 used + an estimate above 960: over the limit, on either instance.
    const refused = await chat(api, key, { maxTokens: 990 });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const error = ((await refused.json()) as OpenAiError).error;
    expect(error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    expect(error.message).toContain('1000 tokens per minute');

    // A call whose estimate alone is over the limit says so.
    const tooBig = await chat(second, key, { maxTokens: 2000 });
    expect(tooBig.status).toBe(429);
    expect(((await tooBig.json()) as OpenAiError).error.message).toContain('lower max_tokens');
    expect(openai.requests.length).toBe(2);
    // The credits held beside the token count (PostgreSQL and Redis are asked at once) were released.
    const holds = (await api.app.get(DataSource).query(
      `SELECT status, count(*)::int AS n FROM credit_hold WHERE user_id = $1 GROUP BY status ORDER BY status`,
      [userId],
    )) as { status: string; n: number }[];
    expect(holds).toEqual([
      { status: 'captured', n: 2 },
      { status: 'released', n: 2 },
    ]);

    // Still room for a small call: refusals took nothing, from the key's tokens nor from the plan's
    // monthly request cap (counted at the same time as the tokens, and given back).
    expect((await chat(api, key, { maxTokens: 100 })).status).toBe(200);
    expect(dataOf(await gql<{ myPlan: { requestsUsed: number } }>(api.url, '{ myPlan { requestsUsed } }', {}, accessToken)).myPlan.requestsUsed).toBe(3);
  });

  it('refuses bad budgets and token limits with BAD_USER_INPUT, and another user gets NOT_FOUND', async () => {
    const { keyId, accessToken } = await userWithKey({});
    const set = (input: Record<string, unknown>, token = accessToken) => gql(api.url, SET_LIMITS, { input: { id: keyId, ...input } }, token);
    for (const bad of [0, -5, 1.5, 2_000_000_000, 1e12, '10']) {
      expect(errorCode(await set({ monthlyCreditBudget: bad }))).toBe('BAD_USER_INPUT');
      expect(errorCode(await set({ tokensPerMinute: bad }))).toBe('BAD_USER_INPUT');
    }
    const session = await createSignedInUser(api);
    for (const bad of [0, -1, 2.5, 1e10]) {
      const created = await gql(api.url, CREATE_KEY, { input: { name: 'bad', scopes: ['ai.use'], monthlyCreditBudget: bad } }, session.accessToken);
      expect(errorCode(created)).toBe('BAD_USER_INPUT');
    }
    const stranger = await createSignedInUser(api);
    expect(errorCode(await set({ monthlyCreditBudget: 5 }, stranger.accessToken))).toBe('NOT_FOUND');

    // Set, kept when left out, removed with null.
    expect(dataOf(await set({ monthlyCreditBudget: 50, tokensPerMinute: 5000 })).setApiKeyLimits).toEqual({
      id: keyId,
      requestsPerMinute: null,
      monthlyCreditBudget: 50,
      tokensPerMinute: 5000,
    });
    expect(dataOf(await set({ requestsPerMinute: 10 })).setApiKeyLimits).toMatchObject({ monthlyCreditBudget: 50, tokensPerMinute: 5000 });
    expect(dataOf(await set({ monthlyCreditBudget: null, tokensPerMinute: null })).setApiKeyLimits).toMatchObject({
      requestsPerMinute: 10,
      monthlyCreditBudget: null,
      tokensPerMinute: null,
    });
    const listed = dataOf(await gql<{ apiKeys: unknown[] }>(api.url, '{ apiKeys { id monthlyCreditBudget tokensPerMinute } }', {}, accessToken));
    expect(listed.apiKeys).toEqual([{ id: keyId, monthlyCreditBudget: null, tokensPerMinute: null }]);
  });
});
