import Anthropic from '@anthropic-ai/sdk';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { anthropicMessage, anthropicStream, FakeWireUpstream } from './support/fake-wire-upstream';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Same-format passthrough on /v1/messages with the official @anthropic-ai/sdk: tools, images,
 * thinking, cache_control and unknown fields reach a Claude upstream as sent, its events come back
 * as sent, and each call is charged exactly from the usage Anthropic reported.
 */
describe('AI passthrough: Anthropic format to Anthropic', () => {
  let api: TestApp;
  let upstream: FakeWireUpstream;
  let db: DataSource;

  beforeAll(async () => {
    upstream = new FakeWireUpstream('');
    await upstream.start();
    api = await startTestApp({ ANTHROPIC_API_KEY: 'sk-ant-wire', ANTHROPIC_BASE_URL: upstream.url, AI_RETRY_BASE_MS: '20', AI_CIRCUIT_FAILURES: '1000' });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await upstream.stop();
  });
  beforeEach(() => upstream.reset());

  const client = (apiKey: string) => new Anthropic({ apiKey, baseURL: api.url, maxRetries: 0 });
  const spent = settling(() => api, async (userId: string, funded: number) => Credits.whole(funded).minus((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).millis);
  const usageOf = settling(() => api, async (userId: string) => (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  /** Claude models: 8 credits per 1,000 tokens, 8 milli-credits a token. */
  const claude = (tokens: number) => BigInt(tokens * 8);

  const weatherTool = {
    name: 'get_weather',
    description: 'Current weather in a city',
    input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
  };

  it('carries a tool-calling conversation: a streamed tool_use, the tool_result, the final answer', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const anthropic = client(user.apiKey);
    upstream.then({
      events: anthropicStream(
        [
          { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": ' } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } } },
          { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
        ],
        'tool_use',
        { input: 60, output: 15 },
      ),
    });
    const first = await anthropic.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 300, tools: [weatherTool], tool_choice: { type: 'auto' }, messages: [{ role: 'user', content: 'Weather in Paris?' }] })
      .finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]);
    expect(upstream.requests[0]?.body).toMatchObject({ tools: [weatherTool], tool_choice: { type: 'auto' }, stream: true });

    upstream.then({ json: anthropicMessage([{ type: 'text', text: 'It is 21 °C in Paris.' }], 'end_turn', 90, 10) });
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{"temperature_c":21}' }] },
    ];
    const answer = await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 300, tools: [weatherTool], messages });
    expect(answer.content).toEqual([{ type: 'text', text: 'It is 21 °C in Paris.' }]);
    expect(upstream.requests[1]?.body['messages']).toEqual(messages);

    expect(await spent(user.userId, 100)).toBe(claude(60 + 15) + claude(90 + 10));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ endpoint: 'anthropic', stream: true, input_tokens: 60, output_tokens: 15, credits: String(claude(75)), status: 'ok' }),
      expect.objectContaining({ endpoint: 'anthropic', stream: false, input_tokens: 90, output_tokens: 10, credits: String(claude(100)), status: 'ok' }),
    ]);
  });

  it('sends images, thinking, cache_control, beta headers and unknown fields exactly as the client wrote them', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.then({ json: (body: Record<string, unknown>) => anthropicMessage([{ type: 'text', text: 'A red square.' }], 'end_turn', 1500, 5, { echo: body }) });
    const request = {
      model: 'claude-sonnet-4-6',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      system: [{ type: 'text', text: 'You describe pictures.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo'.repeat(200) } },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
      metadata: { user_id: 'u-1' },
      x_hub_never_heard_of_this: { nested: [1, 'two'] },
    };
    const message = (await client(user.apiKey).messages.create(request as never, { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31', 'anthropic-version': '2023-06-01' } })) as unknown as Anthropic.Message & {
      echo: unknown;
    };
    const sent = upstream.requests[0];
    expect(sent?.body).toEqual(request);
    expect(message.echo).toEqual(request);
    expect(sent?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers['x-api-key']).toBe('sk-ant-wire');
    expect(await spent(user.userId, 100)).toBe(claude(1505));
  });

  it('sends an image given by https URL (source.type url) to Claude as sent, charged from Anthropic’s usage', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.then({ json: anthropicMessage([{ type: 'text', text: 'A cat.' }], 'end_turn', 1200, 4) });
    const request: Anthropic.MessageCreateParamsNonStreaming = {
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://images.example.com/cat.png?size=large' } }, { type: 'text', text: 'What is this?' }] }],
    };
    const message = await client(user.apiKey).messages.create(request);
    expect(message.content).toEqual([{ type: 'text', text: 'A cat.' }]);
    expect(upstream.requests[0]?.body).toEqual(request);
    expect(await spent(user.userId, 100)).toBe(claude(1204));
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'anthropic', provider: 'anthropic', stream: false, input_tokens: 1200, output_tokens: 4, credits: String(claude(1204)), status: 'ok' })]);
  });

  it('serves max_tokens 128000 on a Claude model by clamping it to the model’s limit, hold included', async () => {
    const user = await createAiUser(api);
    // claude-sonnet-4-6 allows 64,000 output tokens: 512 credits held; 128,000 would need 1,024.
    await fund(api, user.userId, 600);
    const text = [
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    ];
    upstream.then({ events: anthropicStream(text, 'end_turn', { input: 10, output: 1 }) });
    // The SDK streams a call this long, as Claude Code does.
    const message = await client(user.apiKey).messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 128_000, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(upstream.requests[0]?.body['max_tokens']).toBe(64_000);
    const [hold] = (await db.query(`SELECT amount FROM credit_hold WHERE user_id = $1`, [user.userId])) as Array<{ amount: string }>;
    expect(BigInt(hold?.amount ?? 0) >= claude(64_000) && BigInt(hold?.amount ?? 0) < claude(65_000)).toBe(true);
    expect(await spent(user.userId, 600)).toBe(claude(11));
  });

  it('stops the upstream when the client aborts a stream and charges only what was produced', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const pieces = Array.from({ length: 40 }, (_, i) => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `word${i} ` } },
    }));
    upstream.then({
      events: anthropicStream([{ event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } }, ...pieces], 'end_turn', { input: 10, output: 40 }),
      pieceDelayMs: 50,
    });
    const controller = new AbortController();
    const stream = await client(user.apiKey).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 1000, stream: true, messages: [{ role: 'user', content: 'talk' }] }, { signal: controller.signal });
    let deltas = 0;
    try {
      for await (const event of stream) if (event.type === 'content_block_delta' && ++deltas === 5) controller.abort();
    } catch {
      // The SDK reports the abort.
    }
    const deadline = Date.now() + 10_000;
    let rows = await usageOf(user.userId);
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows = await usageOf(user.userId);
    }
    expect(rows).toEqual([expect.objectContaining({ status: 'aborted', stream: true })]);
    const [row] = rows as [UsageRow];
    expect(row.output_tokens).toBeGreaterThan(0);
    expect(row.output_tokens).toBeLessThan(40);
    expect(await spent(user.userId, 100)).toBe(BigInt(row.credits));
    expect(upstream.requests[0]?.aborted).toBe(true);
  });
});
