import Anthropic from '@anthropic-ai/sdk';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { anthropicStream, FakeWireUpstream, openAiCompletion } from './support/fake-wire-upstream';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The providers' other APIs through the hub with their official SDKs — embeddings (metered by
 * input), count_tokens (free), the Responses API (usage from `response.completed`) — and prompt
 * caching billed at the model's cache price, shown in the usage record.
 */
describe('AI passthrough: embeddings, count_tokens, Responses API, cached tokens', () => {
  let api: TestApp;
  let gpt: FakeWireUpstream;
  let claude: FakeWireUpstream;
  let db: DataSource;

  beforeAll(async () => {
    gpt = new FakeWireUpstream('/v1');
    claude = new FakeWireUpstream('');
    await Promise.all([gpt.start(), claude.start()]);
    api = await startTestApp({ OPENAI_API_KEY: 'sk-wire', OPENAI_BASE_URL: gpt.url, ANTHROPIC_API_KEY: 'sk-ant-wire', ANTHROPIC_BASE_URL: claude.url });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([gpt.stop(), claude.stop()]);
  });
  beforeEach(() => {
    gpt.reset();
    claude.reset();
  });

  const openai = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
  const anthropic = (apiKey: string) => new Anthropic({ apiKey, baseURL: api.url, maxRetries: 0 });
  const spent = settling(() => api, async (userId: string, funded: number) => Credits.whole(funded).minus((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).millis);
  const usageOf = settling(() => api, async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as Array<UsageRow & { cached_input_tokens: number }>);

  it('embeds through /v1/embeddings, charging the input tokens at the model’s price', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    const vectors = [
      [0.25, -0.5, 1],
      [0.125, 0, -1],
    ];
    gpt.then({
      json: (body: Record<string, unknown>) => ({
        object: 'list',
        // The SDK asks for base64 unless told otherwise, and decodes it.
        data: vectors.map((vector, index) => ({
          object: 'embedding',
          index,
          embedding: body['encoding_format'] === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
        })),
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 1500, total_tokens: 1500 },
      }),
    });
    const result = await openai(user.apiKey).embeddings.create({ model: 'text-embedding-3-small', input: ['first text', 'second text'] });
    expect(result.data.map((item) => item.embedding)).toEqual(vectors);
    expect(gpt.requests[0]).toMatchObject({ path: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: ['first text', 'second text'] } });
    // 0.02 credits per 1,000 tokens: 1,500 tokens = 30 milli-credits.
    expect(await spent(user.userId, 10)).toBe(30n);
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ model: 'text-embedding-3-small', input_tokens: 1500, output_tokens: 0, credits: '30', status: 'ok' })]);
  });

  it('counts tokens through /v1/messages/count_tokens without charging or recording anything', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    claude.then({ json: { input_tokens: 42 } });
    const counted = await anthropic(user.apiKey).messages.countTokens({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
    expect(counted).toEqual({ input_tokens: 42 });
    expect(claude.requests[0]).toMatchObject({ path: '/v1/messages/count_tokens', body: { model: 'claude-sonnet-4-6' } });
    expect(await spent(user.userId, 10)).toBe(0n);
    expect(await usageOf(user.userId)).toEqual([]);
  });

  it('answers the Responses API, plain and streamed, charging the usage of the response', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const response = (text: string, usage: { input_tokens: number; output_tokens: number }) => ({
      id: 'resp_wire',
      object: 'response',
      created_at: 1_700_000_000,
      status: 'completed',
      model: 'gpt-4o',
      output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }],
      usage: { ...usage, total_tokens: usage.input_tokens + usage.output_tokens, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
    });
    gpt.then({ json: response('Plain answer.', { input_tokens: 30, output_tokens: 3 }) });
    const plain = await openai(user.apiKey).responses.create({ model: 'gpt-4o', input: 'Say something', instructions: 'Be brief.' });
    expect(plain.output_text).toBe('Plain answer.');
    expect(gpt.requests[0]).toMatchObject({ path: '/v1/responses', body: { input: 'Say something', instructions: 'Be brief.', max_output_tokens: 4096 } });

    const final = response('Hello there', { input_tokens: 40, output_tokens: 2 });
    gpt.then({
      events: [
        { event: 'response.created', data: { type: 'response.created', sequence_number: 0, response: { ...final, status: 'in_progress', output: [], usage: null } } },
        { event: 'response.output_text.delta', data: { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hello' } },
        { event: 'response.output_text.delta', data: { type: 'response.output_text.delta', sequence_number: 2, item_id: 'msg_1', output_index: 0, content_index: 0, delta: ' there' } },
        { event: 'response.completed', data: { type: 'response.completed', sequence_number: 3, response: final } },
      ],
    });
    const stream = await openai(user.apiKey).responses.create({ model: 'gpt-4o', input: [{ role: 'user', content: 'Greet me' }], stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).toBe('Hello there');
    expect(types).toEqual(['response.created', 'response.output_text.delta', 'response.output_text.delta', 'response.completed']);
    // gpt-4o: 10 milli-credits a token.
    expect(await spent(user.userId, 100)).toBe(BigInt((33 + 42) * 10));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ stream: false, input_tokens: 30, output_tokens: 3, status: 'ok' }),
      expect.objectContaining({ stream: true, input_tokens: 40, output_tokens: 2, status: 'ok' }),
    ]);
  });

  it('bills input read from the prompt cache at the model’s cache price and shows it in the usage record', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    // gpt-4o: input 10, cached input 5, output 10 credits per 1,000 tokens.
    gpt.then({ json: { ...openAiCompletion({ content: 'ok' }, 'stop', 1000, 10), usage: { prompt_tokens: 1000, completion_tokens: 10, total_tokens: 1010, prompt_tokens_details: { cached_tokens: 800 } } } });
    await openai(user.apiKey).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
    expect(await spent(user.userId, 100)).toBe(BigInt(200 * 10 + 800 * 5 + 10 * 10));

    // Claude: input 8, cache reads 0.8, output 8; Anthropic counts cache reads apart from input_tokens.
    const text = [
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    ];
    claude.then({ events: anthropicStream(text, 'end_turn', { input: 100, output: 10, cacheRead: 1000 }) });
    await anthropic(user.apiKey)
      .messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 20, system: [{ type: 'text', text: 'long cached prompt', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    const claudeCost = 100 * 8 + Math.ceil((1000 * 800) / 1000) + 10 * 8;
    expect(await spent(user.userId, 100)).toBe(BigInt(6100 + claudeCost));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ provider: 'openai', input_tokens: 1000, cached_input_tokens: 800, credits: '6100' }),
      expect.objectContaining({ provider: 'anthropic', input_tokens: 1100, cached_input_tokens: 1000, credits: String(claudeCost) }),
    ]);
  });
});
