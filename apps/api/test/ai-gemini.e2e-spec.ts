import Anthropic from '@anthropic-ai/sdk';
import { Credits } from '@sah/domain';
import { LedgerQuery, verifyLedger } from '@sah/infrastructure';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { createAiUser, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeAnthropic } from './support/fake-anthropic';
import { FAKE_GEMINI_API_KEY, FakeGemini } from './support/fake-gemini';
import { FakeOpenAI } from './support/fake-openai';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Google Gemini as a provider (the hub's adapter on the official `@google/genai` SDK, against a fake
 * speaking the Gemini API's wire format), called by OpenAI and Anthropic clients.
 */
describe('AI gateway: Gemini models', () => {
  let api: TestApp;
  let gemini: FakeGemini;
  let gpt: FakeOpenAI;
  let claude: FakeAnthropic;
  let db: DataSource;

  beforeAll(async () => {
    gemini = new FakeGemini();
    gpt = new FakeOpenAI();
    claude = new FakeAnthropic();
    await Promise.all([gemini.start(), gpt.start(), claude.start()]);
    api = await startTestApp({ ...gemini.env(), ...gpt.env(), ...claude.env(), AI_RETRY_BASE_MS: '20', AI_CIRCUIT_FAILURES: '1000' });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([gemini.stop(), gpt.stop(), claude.stop()]);
  });
  beforeEach(() => {
    gemini.reset();
    gpt.reset();
    claude.reset();
  });

  const openai = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
  const balance = async (userId: string) => ((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).toString();
  const usageOf = async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as Array<UsageRow & { cached_input_tokens: number }>;
  const activeHolds = async (userId: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [userId])) as Array<{ n: number }>)[0]?.n;
  /** gemini-2.5-pro: 10 credits per 1,000 tokens in and out, cached input 2.5: milli-credits per token ×10, ×2.5. */
  const proCost = (input: number, output: number, cached = 0) => Credits.fromMillis(Math.ceil(((input - cached) * 10_000 + cached * 2_500 + output * 10_000) / 1000));
  const fundedUser = async (credits = 100) => {
    const user = await createAiUser(api);
    await fund(api, user.userId, credits);
    return user;
  };

  describe('an OpenAI client calling a Gemini model', () => {
    it('gets the answer in OpenAI’s shape, Gemini’s request built faithfully, charged usage × price', async () => {
      const user = await fundedUser();
      gemini.reply({ text: 'The answer is 42.', usage: { input: 120, output: 30 } });

      const completion = await openai(user.apiKey).chat.completions.create({
        model: 'gemini-2.5-pro',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is the answer?' },
          { role: 'assistant', content: 'Which question?' },
          { role: 'user', content: 'Everything.' },
        ],
        max_tokens: 200,
        temperature: 0.25,
        top_p: 0.5,
        stop: ['END'],
      });

      expect(completion.choices[0]?.message.content).toBe('The answer is 42.');
      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 });
      const sent = gemini.requests[0];
      expect(sent?.path).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
      expect(sent?.apiKey).toBe(FAKE_GEMINI_API_KEY);
      expect(sent?.body).toMatchObject({
        contents: [
          { role: 'user', parts: [{ text: 'What is the answer?' }] },
          { role: 'model', parts: [{ text: 'Which question?' }] },
          { role: 'user', parts: [{ text: 'Everything.' }] },
        ],
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        generationConfig: { maxOutputTokens: 200, temperature: 0.25, topP: 0.5, stopSequences: ['END'] },
      });
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(proCost(120, 30)).toString());
      expect(await usageOf(user.userId)).toEqual([
        expect.objectContaining({
          endpoint: 'openai',
          model: 'gemini-2.5-pro',
          provider: 'gemini',
          stream: false,
          input_tokens: 120,
          output_tokens: 30,
          cached_input_tokens: 0,
          credits: proCost(120, 30).millis.toString(),
          status: 'ok',
          attempts: 1,
        }),
      ]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('streams Gemini’s chunks as OpenAI deltas, metered from the last usageMetadata with cached input at the cache price', async () => {
      const user = await fundedUser();
      gemini.reply({ text: 'one two three four', pieces: 4, usage: { input: 200, output: 4, cached: 80 } });

      const stream = await openai(user.apiKey).chat.completions.create({
        model: 'gemini-2.5-pro',
        messages: [{ role: 'user', content: 'count to four' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const deltas: string[] = [];
      let usage: OpenAI.CompletionUsage | null | undefined;
      let finish: string | null = null;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }

      expect(deltas).toEqual(['one', ' two', ' three', ' four']);
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 200, completion_tokens: 4 });
      expect(gemini.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent');
      expect(gemini.requests[0]?.search).toBe('?alt=sse');
      // 120 uncached × 10 + 80 cached × 2.5 + 4 out × 10 = 1,440 milli-credits.
      expect(proCost(200, 4, 80).millis).toBe(1440n);
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(proCost(200, 4, 80)).toString());
      expect(await usageOf(user.userId)).toEqual([
        expect.objectContaining({ provider: 'gemini', stream: true, input_tokens: 200, output_tokens: 4, cached_input_tokens: 80, credits: '1440', status: 'ok' }),
      ]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('reports a reply cut by maxOutputTokens as finish_reason length', async () => {
      const user = await fundedUser();
      gemini.reply({ text: 'a b c d e f', usage: { input: 5 } });
      const completion = await openai(user.apiKey).chat.completions.create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'letters' }],
        max_tokens: 3,
      });
      expect(completion.choices[0]?.message.content).toBe('a b c');
      expect(completion.choices[0]?.finish_reason).toBe('length');
      // gemini-2.5-flash: 1 credit per 1,000 tokens, so 1 milli-credit a token.
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(Credits.fromMillis(8)).toString());
    });

    it('retries a 429 after Google’s RetryInfo delay and a 503, on the same key, and charges the answer once', async () => {
      const user = await fundedUser();
      gemini.failNext(1, { status: 429, retryAfterSeconds: 0.3 });
      gemini.failNext(1, { status: 503 });
      gemini.reply({ text: 'finally', usage: { input: 10, output: 1 } });

      const completion = await openai(user.apiKey).chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }] });

      expect(completion.choices[0]?.message.content).toBe('finally');
      expect(gemini.requests.map((r) => r.status)).toEqual([429, 503, 200]);
      const [limited, failed] = gemini.requests;
      expect((failed?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(300);
      expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ status: 'ok', attempts: 3, credits: proCost(10, 1).millis.toString() })]);
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(proCost(10, 1)).toString());
    });

    it('answers a rate limit that outlasts the retries as 429 with Retry-After, charging nothing', async () => {
      const user = await fundedUser();
      gemini.failAlways({ status: 429, retryAfterSeconds: 0.05 });

      const error = await openai(user.apiKey)
        .chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('1');
      expect(gemini.requests).toHaveLength(4);
      expect(await balance(user.userId)).toBe('100');
      expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ status: 'error', error_code: 'RATE_LIMITED', credits: '0', attempts: 4 })]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('passes Google’s refusal of the request on as a 400, without retrying or charging', async () => {
      const user = await fundedUser();
      gemini.failNext(1, { status: 400, message: 'Invalid value at generation_config.temperature' });
      const error = await openai(user.apiKey)
        .chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as Error).message).toContain('Invalid value at generation_config.temperature');
      expect(gemini.requests).toHaveLength(1);
      expect(await balance(user.userId)).toBe('100');
    });

    it('refuses with 402 before calling Gemini when the credits cannot cover the call', async () => {
      const user = await fundedUser(0.001);
      const error = await openai(user.apiKey)
        .chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000 })
        .catch((e: unknown) => e);
      expect((error as { status?: number }).status).toBe(402);
      expect(gemini.requests).toHaveLength(0);
      expect(await usageOf(user.userId)).toEqual([]);
    });
  });

  it('serves an Anthropic client calling a Gemini model, streamed, charged exactly', async () => {
    const user = await fundedUser();
    gemini.reply({ text: 'hello there', pieces: 2, usage: { input: 30, output: 2 } });
    const client = new Anthropic({ apiKey: user.apiKey, baseURL: api.url, maxRetries: 0 });

    const stream = client.messages.stream({ model: 'gemini-2.5-pro', max_tokens: 100, system: 'Greet.', messages: [{ role: 'user', content: 'hi' }] });
    const message = await stream.finalMessage();

    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'hello there' })]);
    expect(message.usage).toMatchObject({ input_tokens: 30, output_tokens: 2 });
    expect(gemini.requests[0]?.body).toMatchObject({ systemInstruction: { parts: [{ text: 'Greet.' }] }, generationConfig: { maxOutputTokens: 100 } });
    expect(await balance(user.userId)).toBe(Credits.whole(100).minus(proCost(30, 2)).toString());
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'anthropic', provider: 'gemini', stream: true, credits: '320', status: 'ok' })]);
  });

  it('leaves the ledger consistent', async () => {
    expect((await verifyLedger(db)).problems).toEqual([]);
  });
});
