import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeWireUpstream, openAiChunk, openAiCompletion, openAiUsageChunk } from './support/fake-wire-upstream';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Same-format passthrough on /v1/chat/completions with the official openai SDK: whatever the
 * client sends reaches an OpenAI-protocol upstream as sent (model and cap aside), whatever comes
 * back reaches the client, and the call is charged exactly from the usage the upstream reported.
 */
describe('AI passthrough: OpenAI format to an OpenAI-protocol provider', () => {
  let api: TestApp;
  let upstream: FakeWireUpstream;
  let db: DataSource;

  beforeAll(async () => {
    upstream = new FakeWireUpstream('/v1');
    await upstream.start();
    api = await startTestApp({ OPENAI_API_KEY: 'sk-wire', OPENAI_BASE_URL: upstream.url, AI_RETRY_BASE_MS: '20', AI_CIRCUIT_FAILURES: '1000' });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await upstream.stop();
  });
  beforeEach(() => upstream.reset());

  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
  const balance = settling(() => api, async (userId: string) => (await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO);
  const usageOf = settling(() => api, async (userId: string) => (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const activeHolds = settling(() => api, async (userId: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [userId])) as Array<{ n: number }>)[0]?.n);
  /** gpt-4o: 10 credits per 1,000 tokens in and out, 10 milli-credits a token. */
  const gpt4o = (tokens: number) => tokens * 10;

  const weatherTool: ChatCompletionTool = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
    },
  };

  it('carries a tool-calling conversation: tools, a streamed tool call, the tool result, the final answer', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const openai = client(user.apiKey);
    const call = { index: 0, id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } };
    upstream.then({
      events: [
        { data: openAiChunk({ role: 'assistant', content: null, tool_calls: [call] }) },
        { data: openAiChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }) },
        { data: openAiChunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }) },
        { data: openAiChunk({}, 'tool_calls') },
        { data: openAiUsageChunk(80, 18) },
        { data: '[DONE]' },
      ],
    });
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];

    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages, tools: [weatherTool], tool_choice: 'auto', parallel_tool_calls: false, stream: true });
    let args = '';
    let name = '';
    let finish: string | null = null;
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      name += delta?.function?.name ?? '';
      args += delta?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args: JSON.parse(args) as unknown, finish }).toEqual({ name: 'get_weather', args: { city: 'Paris' }, finish: 'tool_calls' });
    // The hub asked for usage to meter the stream; the client did not, so it never sees that chunk.
    expect(chunks.some((chunk) => chunk.choices.length === 0)).toBe(false);
    const first = upstream.requests[0]?.body;
    expect(first).toMatchObject({ tools: [weatherTool], tool_choice: 'auto', parallel_tool_calls: false, stream_options: { include_usage: true } });

    upstream.then({ json: openAiCompletion({ content: 'It is 21 °C in Paris.' }, 'stop', 120, 9) });
    const answer = await openai.chat.completions.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      messages: [
        ...messages,
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_abc', content: '{"temperature_c":21}' },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe('It is 21 °C in Paris.');
    expect(upstream.requests[1]?.body['messages']).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_abc', content: '{"temperature_c":21}' },
    ]);

    // Exactly usage × price per call, one usage record each, no hold left.
    expect(Credits.whole(100).minus(await balance(user.userId)).millis).toBe(BigInt(gpt4o(80 + 18) + gpt4o(120 + 9)));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ stream: true, input_tokens: 80, output_tokens: 18, credits: String(gpt4o(98)), status: 'ok' }),
      expect.objectContaining({ stream: false, input_tokens: 120, output_tokens: 9, credits: String(gpt4o(129)), status: 'ok' }),
    ]);
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('passes the usage chunk on to a client that asked for it', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.then({ events: [{ data: openAiChunk({ role: 'assistant', content: 'hi' }) }, { data: openAiChunk({}, 'stop') }, { data: openAiUsageChunk(7, 1) }, { data: '[DONE]' }] });
    const stream = await client(user.apiKey).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const usages = [];
    for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toEqual([expect.objectContaining({ prompt_tokens: 7, completion_tokens: 1 })]);
    expect(upstream.requests[0]?.body['stream_options']).toEqual({ include_usage: true });
    expect(Credits.whole(100).minus(await balance(user.userId)).millis).toBe(BigInt(gpt4o(8)));
  });

  it('sends image parts, response_format with a JSON schema, and fields it has never heard of exactly as the client wrote them', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    // The fake answers with what it received, so the test sees the upstream's view and the client's alike.
    upstream.then({ json: (body: Record<string, unknown>) => openAiCompletion({ content: '{"colour":"red"}' }, 'stop', 900, 6, { echo: body }) });
    const responseFormat = {
      type: 'json_schema',
      json_schema: {
        name: 'colour',
        strict: true,
        schema: { type: 'object', properties: { colour: { type: 'string', enum: ['red', 'green'] } }, required: ['colour'], additionalProperties: false },
      },
    } as const;
    const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${'iVBORw0KGgo'.repeat(100)}`, detail: 'low' } } as const;
    const request = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'What colour is this?' }, image] }],
      response_format: responseFormat,
      reasoning_effort: 'low' as const,
      seed: 7,
      logprobs: true,
      top_logprobs: 2,
      metadata: { trace: 'abc' },
      max_tokens: 50,
      x_hub_never_heard_of_this: { nested: [1, 'two', { three: null }] },
    };
    const completion = (await client(user.apiKey).chat.completions.create(request as never)) as unknown as OpenAI.ChatCompletion & { echo: Record<string, unknown> };

    const { raw, body } = upstream.requests[0] as { raw: string; body: Record<string, unknown> };
    expect(raw).toContain(JSON.stringify(responseFormat));
    expect(body).toEqual({ ...request, model: 'gpt-4o' });
    expect(completion.echo).toEqual(body);
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ colour: 'red' });
    expect(Credits.whole(100).minus(await balance(user.userId)).millis).toBe(BigInt(gpt4o(906)));
    expect(await usageOf(user.userId)).toHaveLength(1);
  });

  it('sends an image part given by https URL upstream as sent, charged from the upstream’s usage', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.then({ json: openAiCompletion({ content: 'A cat.' }, 'stop', 800, 3) });
    const request = {
      model: 'gpt-4o',
      max_tokens: 20,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'https://images.example.com/cat.png?size=large', detail: 'high' } }] },
      ] satisfies ChatCompletionMessageParam[],
    };
    const completion = await client(user.apiKey).chat.completions.create(request);
    expect(completion.choices[0]?.message.content).toBe('A cat.');
    expect(upstream.requests[0]?.body).toEqual(request);
    expect(Credits.whole(100).minus(await balance(user.userId)).millis).toBe(BigInt(gpt4o(803)));
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'openai', provider: 'openai', input_tokens: 800, output_tokens: 3, credits: String(gpt4o(803)), status: 'ok' })]);
  });

  it('clamps max_tokens above the model’s limit (hold included) and caps a request that sent none', async () => {
    const user = await createAiUser(api);
    // gpt-4o's limit is 16,384 output tokens: about 164 credits held; 128,000 asked would need 1,280.
    await fund(api, user.userId, 200);
    upstream.then({ json: openAiCompletion({ content: 'ok' }, 'stop', 5, 1) }).then({ json: openAiCompletion({ content: 'ok' }, 'stop', 5, 1) });
    await client(user.apiKey).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 128_000 });
    expect(upstream.requests[0]?.body).toMatchObject({ max_completion_tokens: 16_384 });
    const [hold] = (await db.query(`SELECT amount FROM credit_hold WHERE user_id = $1`, [user.userId])) as Array<{ amount: string }>;
    expect(BigInt(hold?.amount ?? 0)).toBeLessThan(BigInt(gpt4o(17_000)));
    expect(BigInt(hold?.amount ?? 0)).toBeGreaterThanOrEqual(BigInt(gpt4o(16_384)));

    await client(user.apiKey).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    // No cap from the client: the hub's default (AI_DEFAULT_MAX_TOKENS) goes upstream, so the hold covers the answer.
    expect(upstream.requests[1]?.body).toMatchObject({ max_completion_tokens: 4096 });
  });

  it('answers a call whose hold a database crash lost, charging nothing and recording it', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    // What a crash leaves of a hold whose relaxed commit was never flushed: no hold, nothing reserved.
    let lost = 0;
    const loseHolds = () =>
      db.transaction(async (manager) => {
        const [holds] = (await manager.query(`DELETE FROM credit_hold WHERE user_id = $1 AND status = 'active' RETURNING account_id, amount`, [user.userId])) as [
          Array<{ account_id: string; amount: string }>,
          number,
        ];
        for (const hold of holds) await manager.query(`UPDATE credit_account SET reserved = reserved - $2 WHERE id = $1`, [hold.account_id, hold.amount]);
        lost += holds.length;
      });
    upstream.then({
      json: async () => {
        await loseHolds();
        return openAiCompletion({ content: 'hello' }, 'stop', 5, 2);
      },
    });
    // The answer has gone out before the settlement finds the hold gone.
    const answer = await client(user.apiKey).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
    expect(answer.choices[0]?.message.content).toBe('hello');
    expect(lost).toBe(1);
    expect((await balance(user.userId)).millis).toBe(Credits.whole(100).millis);
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ status: 'error', error_code: 'HOLD_LOST', credits: '0', input_tokens: 5, output_tokens: 2 })]);
  });

  it('answers before it settles: the capture and the usage record follow the answer', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    // A transaction holding the user's account row from the moment the upstream answers: the call's
    // capture waits for it, its answer must not.
    const blocker = db.createQueryRunner();
    await blocker.connect();
    upstream.then({
      json: async () => {
        await blocker.startTransaction();
        await blocker.query(`SELECT 1 FROM credit_account WHERE user_id = $1 FOR UPDATE`, [user.userId]);
        return openAiCompletion({ content: 'hello' }, 'stop', 5, 2);
      },
    });
    try {
      const answer = await client(user.apiKey).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
      expect(answer.choices[0]?.message.content).toBe('hello');
      // Read as they are, not after settling: the hold still active, no usage record yet.
      expect(await db.query(`SELECT status FROM credit_hold WHERE user_id = $1`, [user.userId])).toEqual([{ status: 'active' }]);
      expect(await db.query(`SELECT id FROM ai_usage WHERE user_id = $1`, [user.userId])).toEqual([]);
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ status: 'ok', credits: String(gpt4o(7)), input_tokens: 5, output_tokens: 2 })]);
    expect(Credits.whole(100).minus(await balance(user.userId)).millis).toBe(BigInt(gpt4o(7)));
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('refuses with 402 before any upstream call, and answers the upstream’s refusal in OpenAI’s shape', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, '0.5');
    const call = client(user.apiKey).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], tools: [weatherTool], max_tokens: 1000 });
    await expect(call).rejects.toMatchObject({ status: 402, error: expect.objectContaining({ code: 'insufficient_credits' }) });
    expect(upstream.requests).toHaveLength(0);

    await fund(api, user.userId, 100);
    upstream.then({ status: 400, json: { error: { message: "Invalid schema for function 'get_weather'", type: 'invalid_request_error', param: 'tools[0]', code: null } } });
    const refused = client(user.apiKey).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], tools: [weatherTool], max_tokens: 10 });
    await expect(refused).rejects.toMatchObject({ status: 400, message: expect.stringContaining("Invalid schema for function 'get_weather'") });
    expect(upstream.requests).toHaveLength(1);
    expect(await activeHolds(user.userId)).toBe(0);
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ status: 'error', credits: '0' })]);
  });
});
