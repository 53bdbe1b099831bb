import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import { createClient } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { PurgeExpiredRowsHandler } from '../src/maintenance/purge-expired-rows.handler';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeAnthropic } from './support/fake-anthropic';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const MODEL_FIELDS = 'id provider upstreamModel aliases contextWindow maxOutputTokens inputPricePer1k outputPricePer1k enabled fallbackModelId';
const AI_MODELS = `query ($all: Boolean) { aiModels(includeDisabled: $all) { ${MODEL_FIELDS} } }`;
const CREATE_MODEL = `mutation ($input: CreateAiModelInput!) { createAiModel(input: $input) { ${MODEL_FIELDS} } }`;
const UPDATE_MODEL = `mutation ($input: UpdateAiModelInput!) { updateAiModel(input: $input) { ${MODEL_FIELDS} } }`;
const CHAT = `mutation ($input: ChatCompletionInput!) {
  chatCompletion(input: $input) { id model content finishReason usage { inputTokens outputTokens } credits }
}`;
const KEY_FIELDS = 'id provider label last4 enabled createdAt';
const ADD_KEY = `mutation ($input: AddAiProviderKeyInput!) { addAiProviderKey(input: $input) { ${KEY_FIELDS} } }`;
const LIST_KEYS = `query { aiProviderKeys { ${KEY_FIELDS} } }`;
const SET_KEY_ENABLED = `mutation ($id: ID!, $enabled: Boolean!) { setAiProviderKeyEnabled(id: $id, enabled: $enabled) { ${KEY_FIELDS} } }`;
const DELETE_KEY = 'mutation ($id: ID!) { deleteAiProviderKey(id: $id) }';
const HEALTH = 'query { aiProviderHealth { provider circuit calls errorRate p50LatencyMs p95LatencyMs keyConfigured } }';
const FIGURES = 'requests inputTokens outputTokens credits avgLatencyMs p95LatencyMs errorRate';
const SUMMARY = `query ($filter: UsageSummaryFilterInput) {
  usageSummary(filter: $filter) { groupBy truncated rows { key ${FIGURES} } totals { ${FIGURES} } }
}`;

interface Model {
  id: string;
  provider: string;
  inputPricePer1k: number;
  outputPricePer1k: number;
  enabled: boolean;
  aliases: string[];
  fallbackModelId: string | null;
}
interface Figures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  credits: number;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
  errorRate: number;
}
interface Summary {
  groupBy: string;
  truncated: boolean;
  rows: Array<Figures & { key: string }>;
  totals: Figures;
}

describe('AI over GraphQL: catalogue and provider keys for admins, chat, usage analytics, CSV and retention', () => {
  let api: TestApp;
  let upstream: FakeOpenAI;
  let claude: FakeAnthropic;
  let db: DataSource;
  let admin: { userId: string; accessToken: string };

  beforeAll(async () => {
    upstream = new FakeOpenAI();
    claude = new FakeAnthropic();
    await Promise.all([upstream.start(), claude.start()]);
    // Anthropic gets no key from configuration: the provider-key test adds one through GraphQL.
    api = await startTestApp({ ...upstream.env(), ANTHROPIC_BASE_URL: claude.url, AI_RETRY_BASE_MS: '20', AI_CIRCUIT_FAILURES: '1000' });
    db = api.app.get(DataSource);
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([upstream.stop(), claude.stop()]);
  });
  beforeEach(() => {
    upstream.reset();
    claude.reset();
  });

  const balance = settling(() => api, async (userId: string) => (await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO);
  const usageOf = settling(() => api, async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const activeHolds = settling(() => api, async (userId: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [userId])) as Array<{ n: number }>)[0]?.n);

  /** A fresh model per test: no test depends on the seeded catalogue or on another test's price edits. */
  async function createModel(overrides: Record<string, unknown> = {}): Promise<Model> {
    const input = {
      id: `t-${randomUUID().slice(0, 8)}`,
      provider: 'openai',
      upstreamModel: 'gpt-4o',
      contextWindow: 128_000,
      maxOutputTokens: 4096,
      inputPricePer1k: 2,
      outputPricePer1k: 3,
      ...overrides,
    };
    return dataOf(await gql<{ createAiModel: Model }>(api.url, CREATE_MODEL, { input }, admin.accessToken)).createAiModel;
  }

  const chat = (bearer: string, model: string, extra: Record<string, unknown> = {}) =>
    gql<{ chatCompletion: { id: string; model: string; content: string; finishReason: string; usage: { inputTokens: number; outputTokens: number }; credits: number } }>(
      api.url,
      CHAT,
      { input: { model, messages: [{ role: 'user', content: 'Hello there' }], maxTokens: 100, ...extra } },
      bearer,
    );

  const summary = async (bearer: string, filter: Record<string, unknown>) =>
    dataOf(await gql<{ usageSummary: Summary }>(api.url, SUMMARY, { filter }, bearer)).usageSummary;

  async function insertUsage(userId: string, row: { model: string; at: Date; latencyMs?: number; credits?: number; status?: string; tokens?: number }) {
    await db.query(
      `INSERT INTO ai_usage (user_id, endpoint, model, provider, upstream_model, stream, input_tokens, output_tokens, credits, latency_ms, status, created_at)
       VALUES ($1, 'openai', $2, 'openai', 'gpt-4o', false, $3, $3, $4, $5, $6, $7)`,
      [userId, row.model, row.tokens ?? 5, row.credits ?? 0, row.latencyMs ?? 50, row.status ?? 'ok', row.at],
    );
  }

  it('shows every signed-in user the enabled models with prices; disabled ones only to admins', async () => {
    const enabled = await createModel({ inputPricePer1k: 2.5, outputPricePer1k: 0.125, aliases: [`alias-${randomUUID().slice(0, 6)}`] });
    const disabled = await createModel({ enabled: false });
    const user = await createSignedInUser(api, 'GUEST');

    const seen = dataOf(await gql<{ aiModels: Model[] }>(api.url, AI_MODELS, {}, user.accessToken)).aiModels;
    expect(seen).toContainEqual(expect.objectContaining({ id: enabled.id, inputPricePer1k: 2.5, outputPricePer1k: 0.125, enabled: true, aliases: enabled.aliases }));
    expect(seen.map((model) => model.id)).not.toContain(disabled.id);
    expect(errorCode(await gql(api.url, AI_MODELS, { all: true }, user.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, AI_MODELS, {}))).toBe('UNAUTHENTICATED');

    const all = dataOf(await gql<{ aiModels: Model[] }>(api.url, AI_MODELS, { all: true }, admin.accessToken)).aiModels;
    expect(all).toContainEqual(expect.objectContaining({ id: disabled.id, enabled: false }));
  });

  it('lets admins change a price, charging the next call at the new price; users cannot edit', async () => {
    const model = await createModel();
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.reply({ text: 'Hi', usage: { input: 10, output: 40 } });

    // 10 × 2 + 40 × 3 credits per 1,000 tokens = 0.14.
    expect(dataOf(await chat(user.accessToken, model.id)).chatCompletion.credits).toBe(0.14);
    expect(errorCode(await gql(api.url, UPDATE_MODEL, { input: { id: model.id, inputPricePer1k: 0 } }, user.accessToken))).toBe('FORBIDDEN');

    const updated = dataOf(
      await gql<{ updateAiModel: Model }>(api.url, UPDATE_MODEL, { input: { id: model.id, inputPricePer1k: 5.5, outputPricePer1k: 0.25 } }, admin.accessToken),
    ).updateAiModel;
    expect(updated).toMatchObject({ inputPricePer1k: 5.5, outputPricePer1k: 0.25 });

    // 10 × 5.5 + 40 × 0.25 = 0.065, and the ledger moved by exactly both charges.
    expect(dataOf(await chat(user.accessToken, model.id)).chatCompletion.credits).toBe(0.065);
    expect((await balance(user.userId)).toString()).toBe('99.795');
    const audit = (await db.query(`SELECT actor_id, details FROM identity_audit_log WHERE action = 'ai_model.updated' AND target_id = $1`, [model.id])) as Array<{
      actor_id: string;
      details: { after: { inputPricePer1k: string } };
    }>;
    expect(audit).toEqual([{ actor_id: admin.userId, details: expect.objectContaining({ after: expect.objectContaining({ inputPricePer1k: '5.5' }) }) }]);
  });

  it('refuses inconsistent catalogue edits with clear errors', async () => {
    const model = await createModel({ aliases: [`a-${randomUUID().slice(0, 6)}`] });
    const update = (input: Record<string, unknown>) => gql(api.url, UPDATE_MODEL, { input: { id: model.id, ...input } }, admin.accessToken);
    expect(errorCode(await update({ inputPricePer1k: 1.2345 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await update({ outputPricePer1k: -1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await update({ fallbackModelId: model.id }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await update({ fallbackModelId: 'no-such-model' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await update({ provider: 'google' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await update({ maxOutputTokens: 200_000 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(api.url, UPDATE_MODEL, { input: { id: 'no-such-model', enabled: false } }, admin.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, CREATE_MODEL, { input: { ...baseInput(), id: model.id } }, admin.accessToken))).toBe('CONFLICT');
    expect(errorCode(await gql(api.url, CREATE_MODEL, { input: { ...baseInput(), aliases: model.aliases } }, admin.accessToken))).toBe('CONFLICT');
    expect(errorCode(await gql(api.url, CREATE_MODEL, { input: { ...baseInput(), id: 'bad id!' } }, admin.accessToken))).toBe('BAD_USER_INPUT');

    // A fallback that exists is accepted, and null removes it.
    const other = await createModel();
    expect(dataOf(await update({ fallbackModelId: other.id })).updateAiModel).toMatchObject({ fallbackModelId: other.id });
    expect(dataOf(await update({ fallbackModelId: null })).updateAiModel).toMatchObject({ fallbackModelId: null });
  });

  it('answers chatCompletion with content, usage and credits, charged exactly and recorded as a graphql call', async () => {
    const model = await createModel({ inputPricePer1k: 1, outputPricePer1k: 2 });
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    upstream.reply({ text: 'The answer is 42.', usage: { input: 12, output: 7 } });

    const answer = dataOf(await chat(user.apiKey, model.id, { system: 'Be brief.', temperature: 0.2 })).chatCompletion;
    expect(answer).toMatchObject({ model: model.id, content: 'The answer is 42.', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 7 }, credits: 0.026 });
    expect(upstream.requests[0]?.body).toMatchObject({ model: 'gpt-4o', max_tokens: 100, temperature: 0.2, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }] });
    expect((await balance(user.userId)).toString()).toBe('9.974');
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'graphql', model: model.id, input_tokens: 12, output_tokens: 7, credits: '26', status: 'ok' })]);
    expect(await activeHolds(user.userId)).toBe(0);

    const broke = await createAiUser(api);
    upstream.reset();
    expect(errorCode(await chat(broke.accessToken, model.id))).toBe('INSUFFICIENT_CREDITS');
    expect(errorCode(await chat(user.accessToken, 'no-such-model'))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, CHAT, { input: { model: model.id, messages: [] } }, user.accessToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(api.url, CHAT, { input: { model: model.id, messages: [{ role: 'system', content: 'x' }] } }, user.accessToken))).toBe('BAD_USER_INPUT');
    expect(upstream.requests).toHaveLength(0);
  });

  it('keeps admin-added provider keys encrypted, shows only their last four characters, and uses only enabled ones', async () => {
    const model = await createModel({ provider: 'anthropic', upstreamModel: 'claude-sonnet-4-6', inputPricePer1k: 8, outputPricePer1k: 8 });
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    const secret = `sk-ant-admin-${randomUUID()}WXYZ`;

    // No Anthropic key at all yet.
    expect(errorCode(await chat(user.accessToken, model.id))).toBe('PROVIDER_UNAVAILABLE');
    expect(claude.requests).toHaveLength(0);
    expect(errorCode(await gql(api.url, ADD_KEY, { input: { provider: 'anthropic', label: 'nope', apiKey: secret } }, user.accessToken))).toBe('FORBIDDEN');

    const added = await gql<{ addAiProviderKey: { id: string; last4: string } }>(
      api.url,
      ADD_KEY,
      { input: { provider: 'anthropic', label: 'Primary', apiKey: secret } },
      admin.accessToken,
    );
    const key = dataOf(added).addAiProviderKey;
    try {
      expect(key).toMatchObject({ provider: 'anthropic', label: 'Primary', last4: 'WXYZ', enabled: true });
      expect(JSON.stringify(added)).not.toContain(secret);
      const listed = dataOf(await gql<{ aiProviderKeys: Array<{ id: string }> }>(api.url, LIST_KEYS, {}, admin.accessToken)).aiProviderKeys;
      expect(listed).toContainEqual(expect.objectContaining({ id: key.id, last4: 'WXYZ' }));
      expect(JSON.stringify(listed)).not.toContain(secret);

      const [stored] = (await db.query(`SELECT ciphertext, last4 FROM ai_provider_key WHERE id = $1`, [key.id])) as Array<{ ciphertext: Buffer; last4: string }>;
      expect(stored?.ciphertext.includes(Buffer.from(secret))).toBe(false);
      expect(stored?.ciphertext.toString('latin1')).not.toContain(secret.slice(0, 20));
      const leaks = (await db.query(`SELECT count(*)::int AS n FROM identity_audit_log WHERE details::text LIKE $1`, [`%${secret}%`])) as Array<{ n: number }>;
      expect(leaks[0]?.n).toBe(0);

      claude.reply({ text: 'Bonjour', usage: { input: 10, output: 5 } });
      expect(dataOf(await chat(user.accessToken, model.id)).chatCompletion).toMatchObject({ content: 'Bonjour', credits: 0.12 });
      expect(claude.requests.map((request) => request.apiKey)).toEqual([secret]);
      const health = dataOf(await gql<{ aiProviderHealth: Array<{ provider: string; keyConfigured: boolean; circuit: string }> }>(api.url, HEALTH, {}, admin.accessToken));
      expect(health.aiProviderHealth).toContainEqual(expect.objectContaining({ provider: 'anthropic', keyConfigured: true, circuit: 'closed' }));

      expect(dataOf(await gql(api.url, SET_KEY_ENABLED, { id: key.id, enabled: false }, admin.accessToken))).toMatchObject({ setAiProviderKeyEnabled: { enabled: false } });
      claude.reset();
      expect(errorCode(await chat(user.accessToken, model.id))).toBe('PROVIDER_UNAVAILABLE');
      expect(claude.requests).toHaveLength(0);
      const after = dataOf(await gql<{ aiProviderHealth: Array<{ provider: string; keyConfigured: boolean }> }>(api.url, HEALTH, {}, admin.accessToken));
      expect(after.aiProviderHealth).toContainEqual(expect.objectContaining({ provider: 'anthropic', keyConfigured: false }));
    } finally {
      // Later tests expect Anthropic to have no key again.
      expect(dataOf(await gql(api.url, DELETE_KEY, { id: key.id }, admin.accessToken))).toEqual({ deleteAiProviderKey: true });
    }
    expect(errorCode(await gql(api.url, DELETE_KEY, { id: key.id }, admin.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, SET_KEY_ENABLED, { id: 'not-a-uuid', enabled: true }, admin.accessToken))).toBe('NOT_FOUND');
    const actions = (await db.query(`SELECT action FROM identity_audit_log WHERE target_id = $1 ORDER BY id`, [key.id])) as Array<{ action: string }>;
    expect(actions.map((row) => row.action)).toEqual(['ai_provider_key.added', 'ai_provider_key.disabled', 'ai_provider_key.deleted']);
  });

  describe('chatCompletionStream over graphql-ws', () => {
    type Chunk = { delta: string | null; done: boolean; model: string; usage: { inputTokens: number; outputTokens: number } | null; credits: number | null };
    const STREAM = `subscription ($input: ChatCompletionInput!) {
      chatCompletionStream(input: $input) { delta done model usage { inputTokens outputTokens } credits }
    }`;
    const connect = (accessToken: string) =>
      createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${accessToken}` } });

    it('streams the answer and ends with usage and the exact charge', async () => {
      const model = await createModel({ inputPricePer1k: 1, outputPricePer1k: 2 });
      const user = await createAiUser(api);
      await fund(api, user.userId, 10);
      upstream.reply({ text: 'one two three four', pieces: 4, usage: { input: 20, output: 4 } });
      const client = connect(user.accessToken);
      try {
        const chunks: Chunk[] = [];
        await new Promise<void>((resolve, reject) => {
          client.subscribe<{ chatCompletionStream: Chunk }>(
            { query: STREAM, variables: { input: { model: model.id, messages: [{ role: 'user', content: 'count' }] } } },
            { next: ({ data, errors }) => (data ? chunks.push(data.chatCompletionStream) : reject(new Error(JSON.stringify(errors)))), error: reject, complete: resolve },
          );
        });
        expect(chunks.filter((chunk) => !chunk.done).map((chunk) => chunk.delta).join('')).toBe('one two three four');
        // 20 × 1 + 4 × 2 credits per 1,000 tokens = 0.028.
        expect(chunks.at(-1)).toEqual({ delta: null, done: true, model: model.id, usage: { inputTokens: 20, outputTokens: 4 }, credits: 0.028 });
        expect((await balance(user.userId)).toString()).toBe('9.972');
        expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'graphql', stream: true, credits: '28', status: 'ok' })]);
      } finally {
        await client.dispose();
      }
    });

    it('reports an upstream that breaks off mid-stream as a PROVIDER_ERROR and charges nothing', async () => {
      const model = await createModel();
      const user = await createAiUser(api);
      await fund(api, user.userId, 10);
      upstream.reply({ text: 'a b c d e f', pieces: 6, cutAfterPieces: 2 });
      const client = connect(user.accessToken);
      try {
        const deltas: string[] = [];
        const errors = await new Promise<unknown>((resolve, reject) => {
          client.subscribe<{ chatCompletionStream: Chunk }>(
            { query: STREAM, variables: { input: { model: model.id, messages: [{ role: 'user', content: 'letters' }], maxTokens: 50 } } },
            {
              next: ({ data, errors: failed }) => (failed ? resolve(failed) : data && deltas.push(data.chatCompletionStream.delta ?? '')),
              error: reject,
              complete: () => resolve(undefined),
            },
          );
        });
        expect(deltas.join('')).toBe('a b');
        expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'PROVIDER_ERROR' }) })]);
        const [usage] = await eventually(() => usageOf(user.userId), (rows) => rows.length > 0);
        expect(usage).toMatchObject({ status: 'error', stream: true, credits: '0' });
        expect((await balance(user.userId)).toString()).toBe('10');
        expect(await activeHolds(user.userId)).toBe(0);
      } finally {
        await client.dispose();
      }
    });

    it('refuses a caller who cannot cover the hold with INSUFFICIENT_CREDITS, before any provider call', async () => {
      const model = await createModel();
      const user = await createAiUser(api);
      const client = connect(user.accessToken);
      try {
        const errors = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query: STREAM, variables: { input: { model: model.id, messages: [{ role: 'user', content: 'hi' }] } } },
            { next: (result) => resolve(result.errors), error: resolve, complete: () => resolve(undefined) },
          );
        });
        expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'INSUFFICIENT_CREDITS' }) })]);
        expect(upstream.requests).toHaveLength(0);
      } finally {
        await client.dispose();
      }
    });

    it('stops the upstream when the client unsubscribes, charging only what was produced', async () => {
      const model = await createModel({ inputPricePer1k: 10, outputPricePer1k: 10 });
      const user = await createAiUser(api);
      await fund(api, user.userId, 100);
      upstream.reply({ text: Array.from({ length: 40 }, (_, i) => `w${i} `).join(''), pieces: 40, pieceDelayMs: 50 });
      const client = connect(user.accessToken);
      try {
        let received = 0;
        await new Promise<void>((resolve, reject) => {
          const unsubscribe = client.subscribe<{ chatCompletionStream: Chunk }>(
            { query: STREAM, variables: { input: { model: model.id, messages: [{ role: 'user', content: 'talk' }], maxTokens: 1000 } } },
            {
              next: () => {
                if (++received === 3) {
                  unsubscribe();
                  resolve();
                }
              },
              error: reject,
              complete: () => undefined,
            },
          );
        });
        await upstream.waitForAborted();
        const rows = await eventually(() => usageOf(user.userId), (found) => found.length > 0);
        expect(rows).toEqual([expect.objectContaining({ status: 'aborted', stream: true, endpoint: 'graphql' })]);
        const usage = rows[0] as UsageRow;
        expect(usage.output_tokens).toBeGreaterThan(0);
        expect(usage.output_tokens).toBeLessThan(40);
        expect(Credits.whole(100).minus(await balance(user.userId)).millis).toBe(BigInt(usage.credits));
        expect(await activeHolds(user.userId)).toBe(0);
      } finally {
        await client.dispose();
      }
    });
  });

  describe('usage analytics', () => {
    it('sums requests, tokens and credits by model, day and user, each caller seeing only what they may', async () => {
      const [m1, m2] = [await createModel({ upstreamModel: 'gpt-4o' }), await createModel({ upstreamModel: 'gpt-4o-mini', inputPricePer1k: 1, outputPricePer1k: 1 })];
      const u1 = await createAiUser(api);
      const u2 = await createAiUser(api);
      await fund(api, u1.userId, 100);
      await fund(api, u2.userId, 100);
      upstream.reply({ text: 'ok', usage: { input: 100, output: 40 } });
      upstream.reply({ model: 'gpt-4o-mini', text: 'ok', usage: { input: 10, output: 10 } });
      dataOf(await chat(u1.accessToken, m1.id));
      dataOf(await chat(u1.apiKey, m1.id));
      dataOf(await chat(u1.accessToken, m2.id));
      upstream.failNext(1, { status: 400, model: 'gpt-4o' });
      expect(errorCode(await chat(u1.accessToken, m1.id))).toBe('BAD_USER_INPUT');
      dataOf(await chat(u2.accessToken, m1.id));
      const yesterday = new Date(Date.now() - 24 * 60 * 60_000);
      await insertUsage(u1.userId, { model: m1.id, at: yesterday, credits: 1000 });
      const from = new Date(Date.now() - 3 * 24 * 60 * 60_000).toISOString();

      const byModel = await summary(u1.accessToken, { from, groupBy: 'MODEL' });
      expect(byModel.rows).toEqual([
        expect.objectContaining({ key: m1.id, requests: 4, inputTokens: 205, outputTokens: 85, credits: 1.64, errorRate: 0.25 }),
        expect.objectContaining({ key: m2.id, requests: 1, inputTokens: 10, outputTokens: 10, credits: 0.02, errorRate: 0 }),
      ]);
      expect(byModel.totals).toMatchObject({ requests: 5, inputTokens: 215, outputTokens: 95, credits: 1.66, errorRate: 0.2 });
      expect(byModel.rows[0]?.avgLatencyMs).toEqual(expect.any(Number));
      expect(byModel.rows[0]?.p95LatencyMs).toEqual(expect.any(Number));

      const byDay = await summary(u1.accessToken, { from, groupBy: 'DAY' });
      expect(byDay.rows).toEqual([
        expect.objectContaining({ key: yesterday.toISOString().slice(0, 10), requests: 1, credits: 1 }),
        expect.objectContaining({ key: new Date().toISOString().slice(0, 10), requests: 4, credits: 0.66 }),
      ]);

      // Users: themselves only; someone else's id is NOT_FOUND.
      const mine = await summary(u1.accessToken, { from, groupBy: 'USER' });
      expect(mine.rows.map((row) => row.key)).toEqual([u1.userId]);
      expect(errorCode(await gql(api.url, SUMMARY, { filter: { userId: u2.userId } }, u1.accessToken))).toBe('NOT_FOUND');
      expect(errorCode(await gql(api.url, SUMMARY, { filter: { from, to: from } }, u1.accessToken))).toBe('BAD_USER_INPUT');

      // Admins: everyone.
      const everyone = await summary(admin.accessToken, { from, groupBy: 'USER' });
      expect(everyone.rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: u1.userId, requests: 5, credits: 1.66 }),
          expect.objectContaining({ key: u2.userId, requests: 1, credits: 0.32 }),
        ]),
      );
      const justU2 = await summary(admin.accessToken, { from, groupBy: 'MODEL', userId: u2.userId });
      expect(justU2.rows).toEqual([expect.objectContaining({ key: m1.id, requests: 1, credits: 0.32 })]);

      // Managers: their teams' members (and themselves), grouped by team too.
      const manager = await createSignedInUser(api, 'MANAGER');
      const team = dataOf(
        await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `AI ${randomUUID()}` }, admin.accessToken),
      ).createTeam;
      const add = 'mutation ($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }';
      dataOf(await gql(api.url, add, { i: { teamId: team.id, userId: manager.userId, role: 'manager' } }, admin.accessToken));
      dataOf(await gql(api.url, add, { i: { teamId: team.id, userId: u2.userId, role: 'member' } }, admin.accessToken));
      const managed = await summary(manager.accessToken, { from, groupBy: 'USER' });
      expect(managed.rows).toEqual([expect.objectContaining({ key: u2.userId, requests: 1, credits: 0.32 })]);
      const byTeam = await summary(manager.accessToken, { from, groupBy: 'TEAM' });
      expect(byTeam.rows).toEqual([expect.objectContaining({ key: team.id, requests: 1, credits: 0.32 })]);
      expect(byTeam.totals).toMatchObject({ requests: 1, credits: 0.32 });
      expect(await summary(admin.accessToken, { from, groupBy: 'MODEL', teamId: team.id })).toMatchObject({ rows: [expect.objectContaining({ key: m1.id, requests: 1 })] });
      expect((await summary(u1.accessToken, { from, groupBy: 'TEAM' })).rows).toEqual([]);
      expect(errorCode(await gql(api.url, SUMMARY, { filter: { teamId: team.id } }, u1.accessToken))).toBe('NOT_FOUND');
      expect(errorCode(await gql(api.url, SUMMARY, { filter: { userId: u1.userId } }, manager.accessToken))).toBe('NOT_FOUND');
    });

    it('takes average and p95 latency over successful calls, computed by PostgreSQL', async () => {
      const user = await createSignedInUser(api);
      const model = `lat-${randomUUID().slice(0, 8)}`;
      const at = new Date(Date.now() - 60_000);
      for (let latency = 0; latency <= 200; latency += 10) await insertUsage(user.userId, { model, at, latencyMs: latency });
      await insertUsage(user.userId, { model, at, latencyMs: 5000, status: 'error' });

      const { rows } = await summary(user.accessToken, { from: new Date(Date.now() - 3_600_000).toISOString(), groupBy: 'PROVIDER' });
      // 21 successes 0..200 ms: mean 100, 95th percentile (interpolated) 190; the slow failure counts only as an error.
      expect(rows).toEqual([{ key: 'openai', requests: 22, inputTokens: 110, outputTokens: 110, credits: 0, avgLatencyMs: 100, p95LatencyMs: 190, errorRate: 1 / 22 }]);
    });

    it('exports the same figures as CSV, with the same reach', async () => {
      const user = await createSignedInUser(api);
      const other = await createSignedInUser(api);
      const model = `csv-${randomUUID().slice(0, 8)}`;
      await insertUsage(user.userId, { model, at: new Date(Date.now() - 60_000), credits: 1500, latencyMs: 40 });
      await insertUsage(user.userId, { model: `=cmd|${model}`, at: new Date(Date.now() - 60_000), credits: 250, latencyMs: 60 });
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const get = (query: string, bearer?: string) =>
        fetch(`${api.url}/api/v1/ai/usage.csv?${query}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

      const response = await get(`from=${encodeURIComponent(from)}&groupBy=MODEL`, user.accessToken);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="ai-usage-model-/);
      const lines = (await response.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      expect(lines).toEqual([
        'model,requests,input_tokens,output_tokens,credits,avg_latency_ms,p95_latency_ms,error_rate',
        `${model},1,5,5,1.5,40,40,0`,
        // A spreadsheet must not run it as a formula.
        `'=cmd|${model},1,5,5,0.25,60,60,0`,
      ]);

      const others = await (await get(`from=${encodeURIComponent(from)}&groupBy=user`, other.accessToken)).text();
      expect(others).not.toContain(user.userId);
      expect((await get(`userId=${user.userId}`, other.accessToken)).status).toBe(404);
      expect((await get('groupBy=WEEK', user.accessToken)).status).toBe(400);
      expect((await get('groupBy=DAY')).status).toBe(401);
    });
  });

  it('purges usage records older than the retention (30 days), in batches, and keeps newer ones', async () => {
    const userId = randomUUID();
    const day = 24 * 60 * 60_000;
    await insertUsage(userId, { model: 'old-1', at: new Date(Date.now() - 31 * day) });
    await insertUsage(userId, { model: 'old-2', at: new Date(Date.now() - 45 * day) });
    await insertUsage(userId, { model: 'recent', at: new Date(Date.now() - 29 * day) });

    const result = await api.app.get(PurgeExpiredRowsHandler).execute({ batchSize: 1 });

    // The app's own scheduled purge may get to the rows first: what matters is what is left.
    expect(result.aiUsage).toEqual(expect.any(Number));
    expect((await usageOf(userId)).map((row) => row.model)).toEqual(['recent']);
  });
});

function baseInput() {
  return {
    id: `t-${randomUUID().slice(0, 8)}`,
    provider: 'openai',
    upstreamModel: 'gpt-4o',
    contextWindow: 8000,
    maxOutputTokens: 1000,
    inputPricePer1k: 1,
    outputPricePer1k: 1,
  };
}
