import Anthropic from '@anthropic-ai/sdk';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { anthropicMessage, anthropicStream, FakeWireUpstream, openAiChunk, openAiCompletion, openAiUsageChunk } from './support/fake-wire-upstream';
import { startTestApp, TestApp } from './support/test-app';

/**
 * An OpenAI client (the official SDK) calling a Claude model with tools and images: the request is
 * translated to Anthropic's format, the reply (streamed tool-call deltas included) back to OpenAI's,
 * and the call is charged from Anthropic's own usage.
 */
describe('AI translation across formats: tools and images', () => {
  let api: TestApp;
  let claude: FakeWireUpstream;
  let gpt: FakeWireUpstream;
  let db: DataSource;

  beforeAll(async () => {
    claude = new FakeWireUpstream('');
    gpt = new FakeWireUpstream('/v1');
    await Promise.all([claude.start(), gpt.start()]);
    api = await startTestApp({ ANTHROPIC_API_KEY: 'sk-ant-wire', ANTHROPIC_BASE_URL: claude.url, OPENAI_API_KEY: 'sk-wire', OPENAI_BASE_URL: gpt.url });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([claude.stop(), gpt.stop()]);
  });
  beforeEach(() => {
    claude.reset();
    gpt.reset();
  });

  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
  const spent = settling(() => api, async (userId: string) => Credits.whole(100).minus((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).millis);
  const usageOf = settling(() => api, async (userId: string) => (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const tool: ChatCompletionTool = {
    type: 'function',
    function: { name: 'get_weather', description: 'Current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  };

  it('streams a tool call back as OpenAI tool-call deltas, then sends the tool result and an image as Anthropic blocks', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const openai = client(user.apiKey);
    claude.then({
      events: anthropicStream(
        [
          { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me check.' } } },
          { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
          { event: 'content_block_start', data: { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: {} } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ' "Oslo"}' } } },
          { event: 'content_block_stop', data: { type: 'content_block_stop', index: 1 } },
        ],
        'tool_use',
        { input: 50, output: 20 },
      ),
    });
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Weather in Oslo?' },
    ];
    const stream = await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages, tools: [tool], tool_choice: 'required', parallel_tool_calls: false, stream: true, stream_options: { include_usage: true } });
    let content = '';
    let args = '';
    let callId = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      callId ||= call?.id ?? '';
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect({ content, callId, args: JSON.parse(args) as unknown, finish }).toEqual({ content: 'Let me check.', callId: 'toolu_9', args: { city: 'Oslo' }, finish: 'tool_calls' });
    expect(usage).toMatchObject({ prompt_tokens: 50, completion_tokens: 20 });
    expect(claude.requests[0]?.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      stream: true,
      system: 'You are terse.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] }],
      tools: [{ name: 'get_weather', description: 'Current weather in a city', input_schema: tool.function.parameters }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });

    claude.then({ json: anthropicMessage([{ type: 'text', text: 'Cold, and that is a fjord.' }], 'end_turn', 900, 8) });
    const pixel = `data:image/png;base64,${'iVBORw0KGgo'.repeat(10)}`;
    const answer = await openai.chat.completions.create({
      model: 'claude-sonnet-4-6',
      tools: [tool],
      messages: [
        ...messages,
        { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_9', content: '{"temperature_c":-3}' },
        { role: 'user', content: [{ type: 'text', text: 'And what is in this picture?' }, { type: 'image_url', image_url: { url: pixel } }] },
      ],
    });
    expect(answer.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'Cold, and that is a fjord.' }, finish_reason: 'stop' });
    expect(answer.usage).toMatchObject({ prompt_tokens: 900, completion_tokens: 8 });
    expect(claude.requests[1]?.body['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Oslo' } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_9', content: '{"temperature_c":-3}' },
          { type: 'text', text: 'And what is in this picture?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo'.repeat(10) } },
        ],
      },
    ]);

    // Claude: 8 milli-credits a token, from Anthropic's usage.
    expect(await spent(user.userId)).toBe(BigInt((70 + 908) * 8));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ endpoint: 'openai', provider: 'anthropic', stream: true, input_tokens: 50, output_tokens: 20, status: 'ok' }),
      expect.objectContaining({ endpoint: 'openai', provider: 'anthropic', stream: false, input_tokens: 900, output_tokens: 8, status: 'ok' }),
    ]);
  });

  it('refuses what cannot map, naming the field, before any provider call', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const call = client(user.apiKey).chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }], tools: [tool], logprobs: true });
    await expect(call).rejects.toMatchObject({ status: 400, param: 'logprobs', message: expect.stringContaining('logprobs') });
    const json = client(user.apiKey).chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } });
    await expect(json).rejects.toMatchObject({ status: 400, param: 'response_format' });
    expect(claude.requests).toHaveLength(0);
    expect(await spent(user.userId)).toBe(0n);
  });

  it('sends an OpenAI client’s image_url given by https URL to Claude as a url image source, charged from Anthropic’s usage', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.then({ json: anthropicMessage([{ type: 'text', text: 'A cat.' }], 'end_turn', 1200, 4) });
    const url = 'https://images.example.com/cat.png?size=large';
    const answer = await client(user.apiKey).chat.completions.create({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] }],
    });
    expect(answer.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'A cat.' }, finish_reason: 'stop' });
    expect(claude.requests[0]?.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'url', url } }] }],
    });
    expect(await spent(user.userId)).toBe(BigInt(1204 * 8));
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'openai', provider: 'anthropic', input_tokens: 1200, output_tokens: 4, status: 'ok' })]);
  });

  it('gives an Anthropic client a GPT model’s streamed tool call as tool_use blocks, and sends tool_result and images as OpenAI messages', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const anthropic = new Anthropic({ apiKey: user.apiKey, baseURL: api.url, maxRetries: 0 });
    const weather = { name: 'get_weather', description: 'Current weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };
    gpt.then({
      events: [
        { data: openAiChunk({ role: 'assistant', content: 'Checking.' }) },
        { data: openAiChunk({ tool_calls: [{ index: 0, id: 'call_7', type: 'function', function: { name: 'get_weather', arguments: '' } }] }) },
        { data: openAiChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Rome"}' } }] }) },
        { data: openAiChunk({}, 'tool_calls') },
        { data: openAiUsageChunk(40, 12) },
        { data: '[DONE]' },
      ],
    });
    const first = await anthropic.messages
      .stream({ model: 'gpt-4o', max_tokens: 200, system: 'Be terse.', tools: [weather], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'Weather in Rome?' }] })
      .finalMessage();
    expect(first.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_7', name: 'get_weather', input: { city: 'Rome' } },
    ]);
    expect(first.stop_reason).toBe('tool_use');
    expect(first.usage).toMatchObject({ input_tokens: 40, output_tokens: 12 });
    expect(gpt.requests[0]?.body).toEqual({
      model: 'gpt-4o',
      max_completion_tokens: 200,
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Weather in Rome?' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather in a city', parameters: weather.input_schema } }],
      tool_choice: 'required',
    });

    gpt.then({ json: openAiCompletion({ content: 'Sunny, and a cat.' }, 'stop', 300, 6) });
    const answer = await anthropic.messages.create({
      model: 'gpt-4o',
      max_tokens: 200,
      tools: [weather],
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_7', content: '{"sky":"clear"}' },
            { type: 'text', text: 'And this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo' } },
          ],
        },
      ],
    });
    expect(answer).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'Sunny, and a cat.' }], stop_reason: 'end_turn', usage: { input_tokens: 300, output_tokens: 6 } });
    expect(gpt.requests[1]?.body['messages']).toEqual([
      { role: 'user', content: 'Weather in Rome?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_7', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
      { role: 'tool', tool_call_id: 'call_7', content: '{"sky":"clear"}' },
      { role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo' } }] },
    ]);
    // gpt-4o: 10 milli-credits a token, from OpenAI's usage.
    expect(await spent(user.userId)).toBe(BigInt((52 + 306) * 10));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ endpoint: 'anthropic', provider: 'openai', stream: true, input_tokens: 40, output_tokens: 12, status: 'ok' }),
      expect.objectContaining({ endpoint: 'anthropic', provider: 'openai', stream: false, input_tokens: 300, output_tokens: 6, status: 'ok' }),
    ]);

    const refused = anthropic.messages.create({ model: 'gpt-4o', max_tokens: 10, top_k: 5, tools: [weather], messages: [{ role: 'user', content: 'hi' }] } as never);
    await expect(refused).rejects.toMatchObject({ status: 400, type: 'invalid_request_error', message: expect.stringContaining('top_k') });
    expect(gpt.requests).toHaveLength(2);
  });

  it('sends an Anthropic client’s url image source to a GPT model as an image_url part with that URL, charged from OpenAI’s usage', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    gpt.then({ json: openAiCompletion({ content: 'A cat.' }, 'stop', 800, 3) });
    const url = 'https://images.example.com/cat.png?size=large';
    const answer = await new Anthropic({ apiKey: user.apiKey, baseURL: api.url, maxRetries: 0 }).messages.create({
      model: 'gpt-4o',
      max_tokens: 100,
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url } }, { type: 'text', text: 'What is this?' }] }],
    });
    expect(answer).toMatchObject({ content: [{ type: 'text', text: 'A cat.' }], stop_reason: 'end_turn', usage: { input_tokens: 800, output_tokens: 3 } });
    expect(gpt.requests[0]?.body).toEqual({
      model: 'gpt-4o',
      max_completion_tokens: 100,
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }, { type: 'text', text: 'What is this?' }] }],
    });
    expect(await spent(user.userId)).toBe(BigInt(803 * 10));
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'anthropic', provider: 'openai', input_tokens: 800, output_tokens: 3, status: 'ok' })]);
  });
});
