import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { fund } from './support/billing-fixtures';
import { FakeAnthropic } from './support/fake-anthropic';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { redisEntries } from './support/redis-entries';
import { eventually, startTestApp, TestApp } from './support/test-app';

/** The limits' span, shortened from a minute so the test waits seconds: "per minute" means per this. */
const WINDOW_MS = 30_000;

const CREATE_KEY = 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id requestsPerMinute } } }';
const SET_LIMITS = 'mutation ($input: SetApiKeyLimitsInput!) { setApiKeyLimits(input: $input) { id requestsPerMinute } }';

interface OpenAiError {
  error: { type: string; code: string; message: string };
}
interface AnthropicError {
  type: string;
  error: { type: string; message: string };
}

describe("an API key's own requests-per-minute limit, on the AI gateway", () => {
  let api: TestApp;
  let openai: FakeOpenAI;
  let claude: FakeAnthropic;

  beforeAll(async () => {
    openai = new FakeOpenAI();
    claude = new FakeAnthropic();
    await Promise.all([openai.start(), claude.start()]);
    api = await startTestApp({ ...openai.env(), ...claude.env(), RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) });
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([openai.stop(), claude.stop()]);
  });
  beforeEach(() => {
    openai.reset();
    claude.reset();
  });

  const providerCalls = () => openai.requests.length + claude.requests.length;

  const HI = [{ role: 'user', content: 'hi' }];
  const asOpenAi = (key: string) => ({ authorization: `Bearer ${key}` });
  const asAnthropic = (key: string) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' });
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  const openAiChat = (key: string) => post('/v1/chat/completions', asOpenAi(key), { model: 'gpt-4o', messages: HI, max_tokens: 5 });
  const anthropicMessage = (key: string) => post('/v1/messages', asAnthropic(key), { model: 'claude-sonnet-4-6', messages: HI, max_tokens: 5 });

  async function fundedUserWithKey(requestsPerMinute: number | null) {
    const session = await createSignedInUser(api);
    await fund(api, session.userId, 100);
    const created = dataOf(
      await gql<{ createApiKey: { secret: string; apiKey: { id: string; requestsPerMinute: number | null } } }>(
        api.url,
        CREATE_KEY,
        { input: { name: 'limited', scopes: ['ai.use'], requestsPerMinute } },
        session.accessToken,
      ),
    ).createApiKey;
    expect(created.apiKey.requestsPerMinute).toBe(requestsPerMinute);
    return { ...session, key: created.secret, keyId: created.apiKey.id };
  }

  it('refuses the 61st of 61 requests sent within one window across a window boundary, before any provider call, in each format', async () => {
    const { key } = await fundedUserWithKey(60);

    // One call at a clock-aligned window's start opens a fixed window there, as a key's first
    // request would; its end `boundary` is also the next aligned boundary.
    await sleep(Math.ceil(Date.now() / WINDOW_MS) * WINDOW_MS - Date.now());
    const opened = Date.now();
    expect((await openAiChat(key)).status).toBe(200);
    const openerAnswered = Date.now();
    const boundary = opened + WINDOW_MS;

    // 30 calls late in that window (room for them on a loaded machine: they took 4 s at load 10)…
    await sleep(boundary - 0.4 * WINDOW_MS - Date.now());
    const firstSent = Date.now();
    const before = await Promise.all(Array.from({ length: 30 }, () => openAiChat(key)));
    expect(before.map((res) => res.status)).toEqual(Array(30).fill(200));
    expect(Date.now()).toBeLessThan(boundary);

    // …and 31 just after its end, when the opening call is older than a window: a fixed window (from
    // the first call or the clock) would hold 31 and start afresh with 31, letting all 62 through.
    await sleep(Math.max(0, openerAnswered + WINDOW_MS + 200 - Date.now()));
    const after = await Promise.all(Array.from({ length: 31 }, () => openAiChat(key)));
    // The 61 were all counted within one window.
    expect(Date.now() - firstSent).toBeLessThan(WINDOW_MS);

    const statuses = after.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(30);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    const refused = after[statuses.indexOf(429)];
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('60');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    const body = (await refused.json()) as OpenAiError;
    expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    expect(body.error.message).toContain('60 requests per minute');
    expect(providerCalls()).toBe(61);

    // The same key in Anthropic's format: refused too, in Anthropic's error shape.
    const anthropic = await anthropicMessage(key);
    expect(anthropic.status).toBe(429);
    expect(Number(anthropic.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await anthropic.json()) as AnthropicError).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(providerCalls()).toBe(61);

    // The window slides: once the requests before the boundary are older than a window (what
    // Retry-After said), the key gets in again.
    await sleep(retryAfter * 1000);
    expect((await anthropicMessage(key)).status).toBe(200);
    expect(providerCalls()).toBe(62);
  }, 180_000);

  it('refuses on every gateway path the guard leaves the count to: streaming, translated and token counting, before any provider call', async () => {
    const { key, userId } = await fundedUserWithKey(1);
    expect((await openAiChat(key)).status).toBe(200);
    const refused = await Promise.all([
      post('/v1/chat/completions', asOpenAi(key), { model: 'gpt-4o', messages: HI, max_tokens: 5, stream: true }),
      post('/v1/messages', asAnthropic(key), { model: 'gpt-4o', messages: HI, max_tokens: 5 }),
      post('/v1/messages', asAnthropic(key), { model: 'claude-sonnet-4-6', messages: HI, max_tokens: 5, stream: true }),
      post('/v1/messages/count_tokens', asAnthropic(key), { model: 'claude-sonnet-4-6', messages: HI }),
    ]);
    expect(refused.map((res) => res.status)).toEqual([429, 429, 429, 429]);
    for (const res of refused) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(providerCalls()).toBe(1);
    // Credits held beside the pending count were given back.
    const active = (await api.app.get(DataSource).query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [userId])) as {
      n: number;
    }[];
    expect(active[0].n).toBe(0);
  });

  it('counts requests that fail before the gateway starts the count: no model and an unknown one use up the limit too', async () => {
    const { key, keyId } = await fundedUserWithKey(2);
    expect((await post('/v1/chat/completions', asOpenAi(key), { messages: HI })).status).toBe(400);
    expect((await post('/v1/messages', asAnthropic(key), { model: 'no-such-model', messages: HI, max_tokens: 5 })).status).toBe(404);
    // Counted when each response closed, which the client may see a moment before the counts land.
    const counted = async () => {
      const entry = (await redisEntries(api)).find((e) => e.key.endsWith(`ratelimit:sw:api-key:${keyId}`));
      return entry ? (JSON.parse(entry.value) as string[]).length : 0;
    };
    expect(await eventually(counted, (n) => n >= 2)).toBe(2);
    expect((await openAiChat(key)).status).toBe(429);
    expect(providerCalls()).toBe(0);
  });

  it('lets the owner change and remove the limit, effective on the next request; nobody else', async () => {
    const owner = await fundedUserWithKey(null);
    const setLimits = (token: string, input: Record<string, unknown>) =>
      gql<{ setApiKeyLimits: { id: string; requestsPerMinute: number | null } }>(api.url, SET_LIMITS, { input }, token);

    expect((await anthropicMessage(owner.key)).status).toBe(200);
    expect(dataOf(await setLimits(owner.accessToken, { id: owner.keyId, requestsPerMinute: 2 })).setApiKeyLimits).toEqual({
      id: owner.keyId,
      requestsPerMinute: 2,
    });
    // Counted from the change on (an unlimited key records nothing): two, then 429 in Anthropic's format.
    expect((await anthropicMessage(owner.key)).status).toBe(200);
    expect((await anthropicMessage(owner.key)).status).toBe(200);
    const refused = await anthropicMessage(owner.key);
    expect(refused.status).toBe(429);
    expect((await refused.json()) as AnthropicError).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect((await openAiChat(owner.key)).status).toBe(429);

    // What the key's limit refuses does not use up its owner's own (role) allowance: five refusals
    // between two of the owner's console requests leave the second one allowance lower, not six (at
    // most higher, if earlier requests leave the window meanwhile).
    const ownerRemaining = async () => {
      const res = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.accessToken}` },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(res.status).toBe(200);
      return Number(res.headers.get('x-ratelimit-remaining'));
    };
    const remainingBefore = await ownerRemaining();
    for (let i = 0; i < 5; i++) expect((await openAiChat(owner.key)).status).toBe(429);
    expect(await ownerRemaining()).toBeGreaterThanOrEqual(remainingBefore - 1);

    // Left out keeps it; the owner's key list shows it.
    expect(dataOf(await setLimits(owner.accessToken, { id: owner.keyId })).setApiKeyLimits.requestsPerMinute).toBe(2);
    const listed = await gql<{ apiKeys: { id: string; requestsPerMinute: number | null }[] }>(
      api.url,
      '{ apiKeys { id requestsPerMinute } }',
      {},
      owner.accessToken,
    );
    expect(dataOf(listed).apiKeys).toEqual([{ id: owner.keyId, requestsPerMinute: 2 }]);

    // Another user cannot see or change it; nonsense is refused.
    const stranger = await createSignedInUser(api);
    expect(errorCode(await setLimits(stranger.accessToken, { id: owner.keyId, requestsPerMinute: 1000 }))).toBe('NOT_FOUND');
    expect(errorCode(await setLimits(owner.accessToken, { id: owner.keyId, requestsPerMinute: 0 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await setLimits(owner.accessToken, { id: owner.keyId, requestsPerMinute: 1.5 }))).toBe('BAD_USER_INPUT');

    // null removes it: at once, the key is only under its owner's role limit again.
    expect(dataOf(await setLimits(owner.accessToken, { id: owner.keyId, requestsPerMinute: null })).setApiKeyLimits.requestsPerMinute).toBeNull();
    expect((await openAiChat(owner.key)).status).toBe(200);
  });
});
