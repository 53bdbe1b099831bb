import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import { Credits } from '@sah/domain';
import { LedgerQuery, verifyLedger } from '@sah/infrastructure';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeAnthropic } from './support/fake-anthropic';
import { FAKE_GEMINI_API_KEY, FakeGemini } from './support/fake-gemini';
import { FakeOpenAI } from './support/fake-openai';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Google Gemini as a provider (the hub's adapter on the official `@google/genai` SDK, against a fake
 * speaking the Gemini API's wire format), called by OpenAI and Anthropic clients; and the hub's
 * Gemini-format endpoint, called by the same SDK, answering from GPT, Claude and Gemini models.
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
  const balance = settling(() => api, async (userId: string) => ((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).toString());
  const usageOf = settling(() => api, async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as Array<UsageRow & { cached_input_tokens: number }>);
  const activeHolds = settling(() => api, async (userId: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [userId])) as Array<{ n: number }>)[0]?.n);
  /** The reasons of usage captures the ledger marks as charged on the hub's estimate. */
  const estimatedCaptures = async (userId: string) =>
    ((await db.query(`SELECT reason FROM ledger_transaction WHERE user_id = $1 AND (metadata->>'usageEstimated')::boolean ORDER BY created_at`, [userId])) as Array<{ reason: string }>).map(
      (row) => row.reason,
    );
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

    it('charges a reply without usageMetadata on the hub’s estimate (never free), and says so in the ledger', async () => {
      const user = await fundedUser();
      gemini.reply({ text: 'The answer is 42.' });
      gemini.omitUsage();

      const completion = await openai(user.apiKey).chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'What is the answer?' }] });

      // The hold's estimator: ceil(19 / 4) + 4 per message + 3 in, ceil(17 / 4) out.
      expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5 });
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(proCost(12, 5)).toString());
      expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ stream: false, input_tokens: 12, output_tokens: 5, credits: proCost(12, 5).millis.toString(), status: 'ok' })]);
      expect(await estimatedCaptures(user.userId)).toEqual([expect.stringMatching(/12 in, 5 out \(estimated\)$/)]);
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

  describe('a Gemini client (the @google/genai SDK pointed at the hub)', () => {
    const google = (apiKey: string) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: api.url } });
    /** gpt-4o: 10 credits per 1,000 tokens; Claude: 8. */
    const gptCost = (input: number, output: number) => Credits.fromMillis((input + output) * 10);
    const claudeCost = (input: number, output: number) => Credits.fromMillis((input + output) * 8);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

    it('gets a GPT model’s answer, translated both ways, charged exactly, one usage record', async () => {
      const user = await fundedUser();
      gpt.reply({ text: 'Hi from GPT', usage: { input: 40, output: 3 } });

      const response = await google(user.apiKey).models.generateContent({
        model: 'gpt-4o',
        contents: [
          { role: 'user', parts: [{ text: 'Hello' }] },
          { role: 'model', parts: [{ text: 'Hello?' }] },
          { role: 'user', parts: [{ text: 'Say ' }, { text: 'hi' }] },
        ],
        config: { systemInstruction: 'Be brief.', maxOutputTokens: 50, temperature: 0.5, stopSequences: ['END'] },
      });

      expect(response.text).toBe('Hi from GPT');
      expect(response.candidates?.[0]?.finishReason).toBe('STOP');
      expect(response.usageMetadata).toMatchObject({ promptTokenCount: 40, candidatesTokenCount: 3, totalTokenCount: 43 });
      expect(response.modelVersion).toBe('gpt-4o');
      expect(gpt.requests[0]?.body).toMatchObject({
        model: 'gpt-4o',
        max_tokens: 50,
        temperature: 0.5,
        stop: ['END'],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Hello?' },
          { role: 'user', content: 'Say hi' },
        ],
      });
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(gptCost(40, 3)).toString());
      expect(await usageOf(user.userId)).toEqual([
        expect.objectContaining({ endpoint: 'gemini', model: 'gpt-4o', provider: 'openai', stream: false, input_tokens: 40, output_tokens: 3, credits: '430', status: 'ok' }),
      ]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('gets a Claude model’s answer, translated both ways, charged exactly, one usage record', async () => {
      const user = await fundedUser();
      claude.reply({ text: 'Hi from Claude', usage: { input: 50, output: 4 } });

      const response = await google(user.apiKey).models.generateContent({
        model: 'claude-sonnet-4-6',
        contents: [
          { role: 'user', parts: [{ text: 'Hello' }] },
          { role: 'model', parts: [{ text: 'Hello?' }] },
          { role: 'user', parts: [{ text: 'Say ' }, { text: 'hi' }] },
        ],
        config: { systemInstruction: 'Be brief.', maxOutputTokens: 60, temperature: 0.5, stopSequences: ['END'] },
      });

      expect(response.text).toBe('Hi from Claude');
      expect(response.candidates?.[0]?.finishReason).toBe('STOP');
      expect(response.usageMetadata).toMatchObject({ promptTokenCount: 50, candidatesTokenCount: 4, totalTokenCount: 54 });
      expect(claude.requests).toHaveLength(1);
      expect(claude.requests[0]?.path).toBe('/v1/messages');
      expect(claude.requests[0]?.body).toMatchObject({
        model: 'claude-sonnet-4-6',
        max_tokens: 60,
        temperature: 0.5,
        stop_sequences: ['END'],
        system: 'Be brief.',
        messages: [
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Hello?' },
          { role: 'user', content: 'Say hi' },
        ],
      });
      expect(claude.requests[0]?.body).not.toHaveProperty('stream', true);
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(claudeCost(50, 4)).toString());
      expect(await usageOf(user.userId)).toEqual([
        expect.objectContaining({ endpoint: 'gemini', model: 'claude-sonnet-4-6', provider: 'anthropic', stream: false, input_tokens: 50, output_tokens: 4, credits: '432', status: 'ok' }),
      ]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('streams a Claude model’s answer as Gemini chunks, the last with the usage charged', async () => {
      const user = await fundedUser();
      claude.reply({ text: 'one two three', pieces: 3, usage: { input: 25, output: 3 } });

      const stream = await google(user.apiKey).models.generateContentStream({ model: 'claude-sonnet-4-6', contents: 'count', config: { maxOutputTokens: 30 } });
      const texts: string[] = [];
      let last: { finishReason?: string; usage?: unknown } = {};
      for await (const chunk of stream) {
        if (chunk.text) texts.push(chunk.text);
        if (chunk.candidates?.[0]?.finishReason) last = { finishReason: chunk.candidates[0].finishReason, usage: chunk.usageMetadata };
      }

      expect(texts).toEqual(['one', ' two', ' three']);
      expect(last).toEqual({ finishReason: 'STOP', usage: { promptTokenCount: 25, candidatesTokenCount: 3, totalTokenCount: 28 } });
      expect(claude.requests[0]?.body).toMatchObject({ model: 'claude-sonnet-4-6', max_tokens: 30, messages: [{ role: 'user', content: 'count' }] });
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(claudeCost(25, 3)).toString());
      expect(await usageOf(user.userId)).toEqual([
        expect.objectContaining({ endpoint: 'gemini', model: 'claude-sonnet-4-6', provider: 'anthropic', stream: true, credits: '224', status: 'ok' }),
      ]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('streams a GPT model’s answer as Gemini chunks through the SDK, the last with the usage charged', async () => {
      const user = await fundedUser();
      gpt.reply({ text: 'red green blue', pieces: 3, usage: { input: 35, output: 3 } });

      const stream = await google(user.apiKey).models.generateContentStream({
        model: 'gpt-4o',
        contents: [{ role: 'user', parts: [{ text: 'three colours' }] }],
        config: { systemInstruction: 'Be brief.', maxOutputTokens: 40, topP: 0.5 },
      });
      const texts: string[] = [];
      let last: { finishReason?: string; usage?: unknown } = {};
      for await (const chunk of stream) {
        if (chunk.text) texts.push(chunk.text);
        if (chunk.candidates?.[0]?.finishReason) last = { finishReason: chunk.candidates[0].finishReason, usage: chunk.usageMetadata };
      }

      expect(texts).toEqual(['red', ' green', ' blue']);
      expect(last).toEqual({ finishReason: 'STOP', usage: { promptTokenCount: 35, candidatesTokenCount: 3, totalTokenCount: 38 } });
      expect(gpt.requests).toHaveLength(1);
      expect(gpt.requests[0]?.body).toMatchObject({
        model: 'gpt-4o',
        stream: true,
        max_tokens: 40,
        top_p: 0.5,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'three colours' },
        ],
      });
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(gptCost(35, 3)).toString());
      expect(await usageOf(user.userId)).toEqual([
        expect.objectContaining({ endpoint: 'gemini', model: 'gpt-4o', provider: 'openai', stream: true, input_tokens: 35, output_tokens: 3, credits: '380', status: 'ok' }),
      ]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('reports a translated stream that breaks off as Google’s error chunk after what arrived, charging nothing', async () => {
      const user = await fundedUser();
      claude.reply({ text: 'one two three four', pieces: 4, cutAfterPieces: 2 });

      const stream = await google(user.apiKey).models.generateContentStream({ model: 'claude-sonnet-4-6', contents: 'count', config: { maxOutputTokens: 30 } });
      const texts: string[] = [];
      const error = await (async () => {
        for await (const chunk of stream) texts.push(chunk.text ?? '');
      })().catch((e: unknown) => e);

      expect(texts).toEqual(['one', ' two']);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(502);
      expect((error as ApiError).message).toContain('UNAVAILABLE');
      expect(await balance(user.userId)).toBe('100');
      expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'gemini', stream: true, status: 'error', error_code: 'PROVIDER_ERROR', credits: '0' })]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('gets a Gemini model’s answer, plain and streamed, with cached input at the cache price', async () => {
      const user = await fundedUser();
      gemini.reply({ text: 'Paris is the capital', pieces: 2, usage: { input: 100, output: 2, cached: 60 } });
      const client = google(user.apiKey);

      const response = await client.models.generateContent({ model: 'gemini-2.5-pro', contents: 'Capital of France?', config: { systemInstruction: 'Answer in one line.' } });
      expect(response.text).toBe('Paris is the capital');
      expect(response.usageMetadata).toMatchObject({ promptTokenCount: 100, candidatesTokenCount: 2, cachedContentTokenCount: 60 });
      expect(gemini.requests[0]?.body).toMatchObject({
        contents: [{ role: 'user', parts: [{ text: 'Capital of France?' }] }],
        systemInstruction: { parts: [{ text: 'Answer in one line.' }] },
      });

      const stream = await client.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'Capital of France?' });
      let text = '';
      for await (const chunk of stream) text += chunk.text ?? '';
      expect(text).toBe('Paris is the capital');

      // 40 uncached × 10 + 60 cached × 2.5 + 2 out × 10 = 570 milli-credits, twice.
      expect(proCost(100, 2, 60).millis).toBe(570n);
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(Credits.fromMillis(1140)).toString());
      expect(await usageOf(user.userId)).toEqual([
        expect.objectContaining({ endpoint: 'gemini', provider: 'gemini', stream: false, input_tokens: 100, cached_input_tokens: 60, credits: '570', status: 'ok' }),
        expect.objectContaining({ endpoint: 'gemini', provider: 'gemini', stream: true, input_tokens: 100, cached_input_tokens: 60, credits: '570', status: 'ok' }),
      ]);
    });

    it('forwards a Gemini model’s request as sent — tools, thinking, an invented field — with only the cap clamped', async () => {
      // The hold covers the clamped cap: 65,536 tokens at 10 credits per 1,000.
      const user = await fundedUser(1000);
      gemini.reply({ text: 'ok', usage: { input: 70, output: 1 } });
      const body = {
        contents: [
          { role: 'user', parts: [{ text: 'Weather in Paris?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] },
          { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Paris' } } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { celsius: 21 } } }] },
        ],
        tools: [{ functionDeclarations: [{ name: 'weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } }] }],
        toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
        generationConfig: { maxOutputTokens: 1_000_000, topK: 40, thinkingConfig: { thinkingBudget: 1024 }, responseMimeType: 'text/plain' },
        inventedField: { anything: [1, 'two'] },
      };

      const response = await post('/v1beta/models/gemini-2.5-pro:generateContent', body, { 'x-goog-api-key': user.apiKey });

      expect(response.status).toBe(200);
      expect(((await response.json()) as { usageMetadata: unknown }).usageMetadata).toMatchObject({ promptTokenCount: 70, candidatesTokenCount: 1 });
      expect(gemini.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
      // Byte for byte what the client sent, but for the output cap: above the model's 65,536 it is clamped.
      expect(gemini.requests[0]?.body).toEqual({ ...body, generationConfig: { ...body.generationConfig, maxOutputTokens: 65_536 } });
      expect(await balance(user.userId)).toBe(Credits.whole(1000).minus(proCost(70, 1)).toString());
      expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'gemini', provider: 'gemini', stream: false, input_tokens: 70, output_tokens: 1, status: 'ok' })]);
    });

    it('streams a Gemini model’s events through as Google wrote them, metered from the last usageMetadata', async () => {
      const user = await fundedUser();
      gemini.reply({ text: 'x y z', pieces: 3, usage: { input: 12, output: 3 } });

      const stream = await google(user.apiKey).models.generateContentStream({
        model: 'gemini-2.5-pro',
        contents: 'three letters',
        config: { maxOutputTokens: 20, thinkingConfig: { thinkingBudget: 0 } },
      });
      const texts: string[] = [];
      for await (const chunk of stream) texts.push(chunk.text ?? '');

      expect(texts).toEqual(['x', ' y', ' z']);
      expect(gemini.requests[0]?.search).toBe('?alt=sse');
      expect(gemini.requests[0]?.body).toMatchObject({ generationConfig: { maxOutputTokens: 20, thinkingConfig: { thinkingBudget: 0 } } });
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(proCost(12, 3)).toString());
      expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'gemini', provider: 'gemini', stream: true, input_tokens: 12, output_tokens: 3, status: 'ok' })]);
      expect(await activeHolds(user.userId)).toBe(0);
    });

    it('passes Google’s own refusal of a forwarded request back in Google’s shape, charging nothing', async () => {
      const user = await fundedUser();
      gemini.failNext(1, { status: 400, message: 'Unknown name "inventedField": Cannot find field.' });
      const response = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: [{ parts: [{ text: 'x' }] }], inventedField: 1 }, { 'x-goog-api-key': user.apiKey });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining('Unknown name "inventedField"') } });
      expect(await balance(user.userId)).toBe('100');
      expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ status: 'error', credits: '0' })]);
    });

    it('waits out Google’s RetryInfo delay on a forwarded call, and answers a limit past the retries as 429 with Retry-After', async () => {
      const user = await fundedUser();
      const body = { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { maxOutputTokens: 10 } };
      gemini.failNext(1, { status: 429, retryAfterSeconds: 0.3 });
      gemini.reply({ text: 'ok', usage: { input: 3, output: 1 } });

      const answered = await post('/v1beta/models/gemini-2.5-pro:generateContent', body, { 'x-goog-api-key': user.apiKey });
      expect(answered.status).toBe(200);
      const [limited, retried] = gemini.requests;
      expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(300);

      gemini.reset();
      gemini.failAlways({ status: 429, retryAfterSeconds: 0.05 });
      const refused = await post('/v1beta/models/gemini-2.5-pro:generateContent', body, { 'x-goog-api-key': user.apiKey });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: expect.arrayContaining([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' }]) } });
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(proCost(3, 1)).toString());
    });

    it('counts a Gemini model’s tokens with Google, free and unrecorded; other models have no count here', async () => {
      const user = await fundedUser();
      const counted = await google(user.apiKey).models.countTokens({ model: 'gemini-2.5-flash', contents: 'four words of input' });
      expect(counted.totalTokens).toBe(4);
      expect(gemini.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
      expect(gemini.requests[0]?.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'four words of input' }] }] });

      const refused = await google(user.apiKey).models.countTokens({ model: 'gpt-4o', contents: 'x' }).catch((e: unknown) => e);
      expect((refused as ApiError).status).toBe(400);
      expect((refused as ApiError).message).toContain('Gemini models only');
      expect(await balance(user.userId)).toBe('100');
      expect(await usageOf(user.userId)).toEqual([]);
    });

    it('takes the key as ?key= too, and streams a JSON array without alt=sse', async () => {
      const user = await fundedUser();
      gpt.reply({ text: 'a b', pieces: 2, usage: { input: 5, output: 2 } });
      const body = { contents: [{ parts: [{ text: 'hi' }] }] };

      const plain = await post(`/v1beta/models/gpt-4o:generateContent?key=${user.apiKey}`, body);
      expect(plain.status).toBe(200);
      expect(((await plain.json()) as { candidates: Array<{ content: { parts: Array<{ text: string }> } }> }).candidates[0]?.content.parts[0]?.text).toBe('a b');

      const array = await post(`/v1beta/models/gpt-4o:streamGenerateContent?key=${user.apiKey}`, body);
      expect(array.headers.get('content-type')).toContain('application/json');
      const chunks = JSON.parse(await array.text()) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }> }>;
      expect(chunks.map((c) => c.candidates[0]?.content.parts[0]?.text).join('')).toBe('a b');
      expect(chunks.at(-1)?.candidates[0]?.finishReason).toBe('STOP');
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(gptCost(5, 2)).minus(gptCost(5, 2)).toString());
    });

    it('charges a GPT reply without usage on the hub’s estimate, streamed or not', async () => {
      const user = await fundedUser();
      gpt.reply({ text: 'The answer is 42.' });
      gpt.omitUsage();
      const body = { contents: [{ parts: [{ text: 'What is the answer?' }] }] };

      const plain = await post('/v1beta/models/gpt-4o:generateContent', body, { 'x-goog-api-key': user.apiKey });
      expect(plain.status).toBe(200);
      expect(((await plain.json()) as { usageMetadata: unknown }).usageMetadata).toMatchObject({ promptTokenCount: 12, candidatesTokenCount: 5 });
      const streamed = await post('/v1beta/models/gpt-4o:streamGenerateContent?alt=sse', body, { 'x-goog-api-key': user.apiKey });
      expect(await streamed.text()).toContain('"promptTokenCount":12');

      expect(gpt.requests).toHaveLength(2);
      expect(await balance(user.userId)).toBe(Credits.whole(100).minus(gptCost(12, 5)).minus(gptCost(12, 5)).toString());
      expect((await usageOf(user.userId)).map((row) => [row.stream, row.input_tokens, row.output_tokens])).toEqual([
        [false, 12, 5],
        [true, 12, 5],
      ]);
      expect(await estimatedCaptures(user.userId)).toHaveLength(2);
    });

    it('refuses with 402 in Google’s error shape before any upstream call when credits are short', async () => {
      const user = await fundedUser(0.001);
      const error = await google(user.apiKey)
        .models.generateContent({ model: 'gpt-4o', contents: 'hi', config: { maxOutputTokens: 1000 } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(402);
      expect(JSON.parse((error as ApiError).message)).toMatchObject({
        error: { code: 402, status: 'FAILED_PRECONDITION', details: [expect.objectContaining({ reason: 'INSUFFICIENT_CREDITS' })] },
      });
      expect(gpt.requests).toHaveLength(0);
      expect(await usageOf(user.userId)).toEqual([]);
    });

    it('answers bad input with 400 (or 401/404) in Google’s shape, never 500, charging nothing', async () => {
      const user = await fundedUser();
      const key = { 'x-goog-api-key': user.apiKey };
      const cases: Array<[string, unknown, Record<string, string>, number, string]> = [
        ['/v1beta/models/gpt-4o:generateContent', { contents: [{ parts: [{ text: 'hi' }] }], tools: [{ functionDeclarations: [] }] }, key, 400, 'tools'],
        ['/v1beta/models/gpt-4o:generateContent', { contents: [{ parts: [{ inlineData: { mimeType: 'image/png', data: 'AA==' } }] }] }, key, 400, 'contents[0].parts[0].inlineData'],
        ['/v1beta/models/gpt-4o:generateContent', { contents: [{ role: 'system', parts: [{ text: 'x' }] }] }, key, 400, 'contents[0].role'],
        ['/v1beta/models/gpt-4o:generateContent', { contents: [] }, key, 400, 'contents'],
        ['/v1beta/models/gpt-4o:generateContent', { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { topK: 3 } }, key, 400, 'generationConfig.topK'],
        ['/v1beta/models/gpt-4o:generateContent', { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { maxOutputTokens: -1 } }, key, 400, 'maxOutputTokens'],
        ['/v1beta/models/gpt-4o:generateContent', '{"contents": [', key, 400, 'Malformed JSON'],
        ['/v1beta/models/gpt-4o:generateContent', [1, 2], key, 400, 'JSON object'],
        ['/v1beta/models/gpt-4o:embedContent', { contents: [{ parts: [{ text: 'x' }] }] }, key, 404, 'embedContent'],
        ['/v1beta/models/no-such-model:generateContent', { contents: [{ parts: [{ text: 'x' }] }] }, key, 404, 'no-such-model'],
        ['/v1beta/models/gpt-4o:generateContent', { contents: [{ parts: [{ text: 'x' }] }] }, {}, 401, 'Bearer'],
        ['/v1beta/models/gpt-4o:generateContent', { contents: [{ parts: [{ text: 'x' }] }] }, { 'x-goog-api-key': 'sah_not-a-key' }, 401, 'invalid'],
      ];
      for (const [path, body, headers, status, mentions] of cases) {
        const response = await post(path, body, headers);
        const error = ((await response.json()) as { error: { code: number; message: string; status: string } }).error;
        expect({ path, body, status: response.status, code: error.code }).toEqual({ path, body, status, code: status });
        expect(error.status).toBe({ 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND' }[status]);
        expect(error.message).toContain(mentions);
      }
      expect(gpt.requests).toHaveLength(0);
      expect(await balance(user.userId)).toBe('100');
      expect(await usageOf(user.userId)).toEqual([]);
    });
  });

  it('leaves the ledger consistent', async () => {
    expect((await verifyLedger(db)).problems).toEqual([]);
  });
});
