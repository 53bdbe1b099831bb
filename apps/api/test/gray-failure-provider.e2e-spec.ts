import Anthropic, { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import OpenAI, { APIError } from 'openai';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeAnthropic } from './support/fake-anthropic';
import { FakeOpenAI } from './support/fake-openai';
import { timed } from './support/gray-failure';
import { TcpProxy } from './support/tcp-proxy';
import { eventually, startTestApp, TestApp } from './support/test-app';

const IDLE_TIMEOUT_MS = 500;
const FIRST_BYTE_TIMEOUT_MS = 700;
/** Room for the rest of the request around the deadlines on a busy 2-core machine. */
const SLACK_MS = 1_500;
/** The gateway's retries of a call that got nothing (3 retries after the first attempt). */
const ATTEMPTS = 4;

/**
 * An AI provider that accepts connections and then says nothing, before or in the middle of a
 * stream. The hub gives up at its deadlines, answers in OpenAI's format, and charges no more than
 * what reached the client; the hold is always released.
 */
describe('gray failure: the AI provider goes silent', () => {
  let upstream: FakeOpenAI;
  let provider: TcpProxy;
  let claude: FakeAnthropic;
  let claudeProvider: TcpProxy;
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    upstream = new FakeOpenAI();
    claude = new FakeAnthropic();
    await Promise.all([upstream.start(), claude.start()]);
    provider = TcpProxy.forUrl(upstream.url, 80);
    claudeProvider = TcpProxy.forUrl(claude.url, 80);
    await Promise.all([provider.start(), claudeProvider.start()]);
    api = await startTestApp({
      ...upstream.env(),
      ...claude.env(),
      OPENAI_BASE_URL: provider.rewrite(upstream.url),
      ANTHROPIC_BASE_URL: claudeProvider.rewrite(claude.url),
      AI_STREAM_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
      AI_STREAM_FIRST_BYTE_TIMEOUT_MS: String(FIRST_BYTE_TIMEOUT_MS),
      AI_REQUEST_TIMEOUT_MS: String(FIRST_BYTE_TIMEOUT_MS),
      AI_RETRY_BASE_MS: '20',
      AI_CIRCUIT_FAILURES: '1000',
    });
    db = api.app.get(DataSource);
  });

  afterAll(async () => {
    await api.close();
    await Promise.all([provider.cut(), claudeProvider.cut()]);
    await Promise.all([upstream.stop(), claude.stop()]);
  });

  beforeEach(() => {
    upstream.reset();
    claude.reset();
  });
  afterEach(() => Promise.all([provider.restore(), claudeProvider.restore()]));

  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
  const balance = settling(() => api, async (userId: string) => (await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO);
  const usageOf = settling(() => api, async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const activeHolds = settling(() => api, async (userId: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [userId])) as Array<{ n: number }>)[0]?.n);
  /** gpt-4o costs 10 credits per 1,000 tokens in and out: 10 milli-credits a token. */
  const gpt4oCost = (input: number, output: number) => Credits.fromMillis((input + output) * 10);

  it('ends a stream that goes silent after its first chunk with an error event within the idle deadline, charging only what was produced', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.reply({ text: Array.from({ length: 30 }, (_, i) => `w${i} `).join(''), pieces: 30, pieceDelayMs: 50 });

    const stream = await client(user.apiKey).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'talk for a while' }],
      stream: true,
      max_tokens: 1000,
    });
    let received = '';
    let silentSince = 0;
    const failure = await (async () => {
      try {
        for await (const chunk of stream) {
          received += chunk.choices[0]?.delta.content ?? '';
          if (received && !silentSince) {
            provider.blackhole();
            silentSince = Date.now();
          }
        }
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    const waited = Date.now() - silentSince;

    // OpenAI's streams report a late failure as an error event; the SDK raises it as an APIError.
    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({ code: 'provider_error' });
    expect(waited).toBeLessThan(IDLE_TIMEOUT_MS + SLACK_MS);
    expect(received.split(' ').length).toBeLessThan(30);

    const [usage] = await eventually(() => usageOf(user.userId), (rows) => rows.length > 0);
    expect(usage).toMatchObject({ status: 'error', error_code: 'PROVIDER_ERROR', stream: true });
    expect(usage?.output_tokens).toBeGreaterThan(0);
    expect(usage?.output_tokens).toBeLessThan(30);
    // Exactly what was produced (prompt and output as the hub counts them), from the hold; the rest released.
    const charged = Credits.whole(100).minus(await balance(user.userId));
    expect(charged.toString()).toBe(gpt4oCost(usage?.input_tokens ?? -1, usage?.output_tokens ?? -1).toString());
    expect(charged.millis).toBe(BigInt(usage?.credits ?? -1));
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('does the same on the Anthropic-compatible endpoint, in Anthropic’s error format', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.reply({ text: Array.from({ length: 30 }, (_, i) => `w${i} `).join(''), pieces: 30, pieceDelayMs: 50 });

    const stream = await new Anthropic({ apiKey: user.apiKey, baseURL: api.url, maxRetries: 0 }).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 1000,
      stream: true,
      messages: [{ role: 'user', content: 'talk for a while' }],
    });
    let received = '';
    let silentSince = 0;
    const failure = await (async () => {
      try {
        for await (const event of stream) {
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') received += event.delta.text;
          if (received && !silentSince) {
            claudeProvider.blackhole();
            silentSince = Date.now();
          }
        }
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    // An `error` event (the 200 went out with the first event), typed as Anthropic types it.
    expect(failure).toBeInstanceOf(AnthropicAPIError);
    expect(failure).toMatchObject({ status: undefined, type: 'api_error' });
    expect(Date.now() - silentSince).toBeLessThan(IDLE_TIMEOUT_MS + SLACK_MS);
    const [usage] = await eventually(() => usageOf(user.userId), (rows) => rows.length > 0);
    expect(usage).toMatchObject({ status: 'error', error_code: 'PROVIDER_ERROR', stream: true });
    expect(usage?.output_tokens).toBeGreaterThan(0);
    const charged = Credits.whole(100).minus(await balance(user.userId));
    expect(charged.millis).toBe(BigInt(usage?.credits ?? -1));
    expect(charged.isPositive()).toBe(true);
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('gives up on a provider that never answers within the first-byte deadline per attempt, charges nothing, and recovers', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const openai = client(user.apiKey);
    const ask = () => openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }], stream: true, max_tokens: 50 });

    provider.blackhole();
    const silent = await timed(() => ask().then(() => undefined, (error: unknown) => error));
    expect(silent.value).toBeInstanceOf(APIError);
    expect(silent.value).toMatchObject({ status: 502, code: 'provider_error' });
    expect(silent.ms).toBeLessThan(ATTEMPTS * FIRST_BYTE_TIMEOUT_MS + SLACK_MS);

    // What needs no provider keeps working meanwhile.
    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4o');
    const [failed] = await eventually(() => usageOf(user.userId), (rows) => rows.length > 0);
    expect(failed).toMatchObject({ status: 'error', credits: '0', attempts: ATTEMPTS });
    expect((await balance(user.userId)).toString()).toBe('100');
    expect(await activeHolds(user.userId)).toBe(0);

    await provider.restore({ keepStalled: true });
    let text = '';
    for await (const chunk of await ask()) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the fake OpenAI');
    expect(await activeHolds(user.userId)).toBe(0);
  });
});
