import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { FakeAnthropic } from './support/fake-anthropic';
import { FakeOpenAI } from './support/fake-openai';

/**
 * The fake upstreams against the official SDKs, used directly: if the SDKs parse what the fakes
 * send (streams, usage, typed errors, aborts), then the hub's adapters are tested against the
 * providers' real wire formats when pointed at them.
 */

/** Raw SSE `data:` payloads (and `event:` names), to check the wire itself and not only the SDK's view. */
async function sse(
  url: string,
  init: RequestInit,
): Promise<{ contentType: string; events: string[]; data: string[] }> {
  const response = await fetch(url, init);
  const text = await response.text();
  const frames = text.split('\n\n').filter(Boolean);
  return {
    contentType: response.headers.get('content-type') ?? '',
    events: frames.flatMap((frame) => /^event: (.+)$/m.exec(frame)?.[1] ?? []),
    data: frames.map((frame) => /^data: (.*)$/m.exec(frame)?.[1] ?? ''),
  };
}

describe('fake OpenAI, through the openai SDK', () => {
  const fake = new FakeOpenAI();
  let client: OpenAI;
  const request = {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Say hello to the hub' },
    ],
  };

  beforeAll(async () => {
    await fake.start();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('answers a completion in OpenAI’s shape, usage derived from the request', async () => {
    const completion = await client.chat.completions.create(request);

    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello from the fake OpenAI', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 },
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.system_fingerprint).toMatch(/^fp_/);
    expect(fake.promptTokensFor(request)).toBe(7);
    expect(fake.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/chat/completions',
        apiKey: 'sk-test',
        body: expect.objectContaining(request),
        status: 200,
        aborted: false,
      }),
    ]);
  });

  it('stops at max_tokens with finish_reason "length", and fixed usage when scripted', async () => {
    fake.reply({ text: 'one two three four', usage: { input: 40 } });
    const completion = await client.chat.completions.create({ ...request, max_tokens: 2 });
    expect(completion.choices[0].message.content).toBe('one two');
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 2, total_tokens: 42 });
  });

  it('streams role, pieces, finish_reason and, with include_usage, a usage chunk', async () => {
    fake.reply({ text: 'Streaming works fine', pieces: 3, model: 'gpt-4o-mini' });
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0].choices[0].delta).toMatchObject({ role: 'assistant', content: '' });
    const pieces = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? ''));
    expect(pieces.filter(Boolean)).toEqual(['Streaming', ' works', ' fine']);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('assembles with the SDK’s own stream helper, and sends no usage unless asked or when omitted', async () => {
    const final = await client.chat.completions.stream(request).finalChatCompletion();
    expect(final.choices[0]).toMatchObject({
      message: { content: 'Hello from the fake OpenAI' },
      finish_reason: 'stop',
    });
    expect(final.usage).toBeUndefined();

    fake.omitUsage();
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) expect(chunk.usage ?? null).toBeNull();
  });

  it('writes the exact SSE wire format, ending in data: [DONE]', async () => {
    fake.reply({ text: 'Hi there', pieces: 2 });
    const { contentType, data } = await sse(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ ...request, stream: true, stream_options: { include_usage: true } }),
    });
    expect(contentType).toBe('text/event-stream');
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((line) => JSON.parse(line));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { content: 'Hi' },
      { content: ' there' },
      {},
      null,
    ]);
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o-mini', usage: null });
  });

  it('lists models', async () => {
    fake.models = ['gpt-4o', 'gpt-x'];
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['gpt-4o', 'gpt-x']);
  });

  it('fails as scripted, with typed SDK errors, Retry-After, and per-model or per-key rules', async () => {
    fake.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const limited = await client.chat.completions.create(request).catch((error: unknown) => error);
    if (!(limited instanceof OpenAI.RateLimitError)) throw limited;
    expect(limited).toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
      type: 'requests',
      param: null,
    });
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.requestID).toBe(fake.requests[0].requestId);
    await expect(client.chat.completions.create(request)).resolves.toBeDefined();

    fake.failAlways({ status: 500, model: 'gpt-x' });
    fake.failAlways({ status: 429, apiKey: 'sk-cooling' });
    await expect(client.chat.completions.create({ ...request, model: 'gpt-x' })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
    await expect(client.chat.completions.create({ ...request, model: 'gpt-y' })).resolves.toMatchObject({
      model: 'gpt-y',
    });
    const cooling = new OpenAI({ apiKey: 'sk-cooling', baseURL: fake.url, maxRetries: 0 });
    await expect(cooling.chat.completions.create(request)).rejects.toBeInstanceOf(OpenAI.RateLimitError);

    fake.clearFailures();
    await expect(client.chat.completions.create({ ...request, model: 'gpt-x' })).resolves.toBeDefined();
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200, 500, 200, 429, 200]);
  });

  it('refuses a request without a key in OpenAI’s error shape', async () => {
    const response = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: null },
    });
  });

  it('notices a client that aborts mid-stream, and stops writing', async () => {
    fake.reply({ pieces: 50, pieceDelayMs: 50 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { ...request, stream: true },
      { signal: controller.signal },
    );
    const received: string[] = [];
    // The SDK ends the iteration quietly on an abort (it throws only for other failures).
    for await (const chunk of stream) {
      received.push(chunk.choices[0]?.delta.content ?? '');
      if (received.length === 3) controller.abort();
    }
    const aborted = await fake.waitForAborted(2_000);
    expect(aborted).toMatchObject({ path: '/v1/chat/completions', aborted: true });
    const sent = aborted.piecesSent;
    expect(sent).toBeLessThan(10);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(aborted.piecesSent).toBe(sent);
  });

  it('delays the first byte for timeout tests (the fake sees the timeout as an abort)', async () => {
    fake.reply({ firstByteDelayMs: 2_000 });
    // APIConnectionTimeoutError outside Jest; inside Jest's sandbox the SDK cannot recognise the
    // other realm's AbortError and reports its parent class, APIConnectionError.
    await expect(client.chat.completions.create(request, { timeout: 200 })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionError,
    );
    await expect(fake.waitForAborted(2_000)).resolves.toMatchObject({ status: 0 });
  });

  it('can break a stream off mid-way, which the SDK reports as an error (not an abort by the client)', async () => {
    fake.reply({ pieces: 5, cutAfterPieces: 2 });
    const stream = await client.chat.completions.create({ ...request, stream: true });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(received.filter(Boolean)).toEqual(['Hello', ' from']);
    expect(fake.requests[0]).toMatchObject({ piecesSent: 2, aborted: false });
  });
});

describe('fake Anthropic, through @anthropic-ai/sdk', () => {
  const fake = new FakeAnthropic();
  let client: Anthropic;
  const request = {
    model: 'claude-sonnet-4-6',
    max_tokens: 100,
    system: 'Be brief.',
    messages: [{ role: 'user' as const, content: 'Say hello to the hub' }],
  };

  beforeAll(async () => {
    await fake.start();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('answers a message in Anthropic’s shape and records the key and version headers', async () => {
    const message = await client.messages.create(request);

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'Hello from the fake Anthropic' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 7, output_tokens: 5 },
    });
    expect(message.id).toMatch(/^msg_/);
    expect(fake.promptTokensFor(request)).toBe(7);
    const [recorded] = fake.requests;
    expect(recorded).toMatchObject({
      path: '/v1/messages',
      apiKey: 'sk-ant-test',
      body: request,
      status: 200,
    });
    // SDK 1.x sends the key as a Bearer token (the fake also takes `x-api-key`, see the wire test).
    expect(recorded.headers).toMatchObject({
      authorization: 'Bearer sk-ant-test',
      'anthropic-version': '2026-10-21',
    });
    expect(message._request_id).toBe(recorded.requestId);
  });

  it('reports max_tokens and scripted stop sequences as Anthropic does', async () => {
    fake.reply({ text: 'one two three', usage: { output: 9 } });
    const truncated = await client.messages.create({ ...request, max_tokens: 1 });
    expect(truncated).toMatchObject({
      content: [{ text: 'one' }],
      stop_reason: 'max_tokens',
      usage: { output_tokens: 9 },
    });

    fake.reply({ text: 'done', stopReason: 'stop_sequence', stopSequence: 'END' });
    const stopped = await client.messages.create(request);
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('streams Anthropic’s event sequence; the SDK’s final message carries usage', async () => {
    fake.reply({ text: 'Streaming works fine', pieces: 3 });
    const stream = client.messages.stream(request);
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();

    expect(texts).toEqual(['Streaming', ' works', ' fine']);
    expect(final).toMatchObject({
      content: [{ type: 'text', text: 'Streaming works fine' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 7, output_tokens: 3 },
    });
  });

  it('writes the exact event: / data: wire format', async () => {
    fake.reply({ text: 'Hi there', pieces: 2 });
    const { contentType, events, data } = await sse(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': 'sk-ant-test',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...request, stream: true }),
    });
    expect(contentType).toBe('text/event-stream');
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const payloads = data.map((line) => JSON.parse(line));
    expect(payloads.map((payload) => payload.type)).toEqual(events);
    expect(payloads[0].message).toMatchObject({
      content: [],
      stop_reason: null,
      usage: { input_tokens: 7, output_tokens: 1 },
    });
    expect(payloads[3]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Hi' },
    });
    expect(payloads[6]).toMatchObject({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 7, output_tokens: 2 },
    });
    expect(fake.requests[0].apiKey).toBe('sk-ant-test');
  });

  it('fails as scripted with typed SDK errors: 429 with retry-after, 529 overloaded', async () => {
    fake.failNext(1, { status: 429, retryAfterSeconds: 3 });
    const limited = await client.messages.create(request).catch((error: unknown) => error);
    if (!(limited instanceof Anthropic.RateLimitError)) throw limited;
    expect(limited).toMatchObject({
      status: 429,
      error: { type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } },
    });
    expect(limited.headers?.get('retry-after')).toBe('3');
    expect(limited.requestID).toBe(fake.requests[0].requestId);

    fake.failAlways({ status: 529, model: 'claude-busy' });
    const overloaded = await client.messages
      .create({ ...request, model: 'claude-busy' })
      .catch((error: unknown) => error);
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
    expect(overloaded).toMatchObject({ status: 529, error: { error: { type: 'overloaded_error' } } });
    await expect(client.messages.create(request)).resolves.toMatchObject({ model: 'claude-sonnet-4-6' });
  });

  it('is as strict as Anthropic about the version header and required fields', async () => {
    const response = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      request_id: response.headers.get('request-id'),
    });

    const { max_tokens: _omitted, ...withoutMaxTokens } = request;
    const refused = client.messages.create(withoutMaxTokens as Anthropic.MessageCreateParamsNonStreaming);
    await expect(refused).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(refused).rejects.toMatchObject({
      error: { error: { message: 'max_tokens: Field required' } },
    });
  });

  it('notices a client that aborts mid-stream, and stops writing', async () => {
    fake.reply({ pieces: 50, pieceDelayMs: 50 });
    const controller = new AbortController();
    const stream = await client.messages.create({ ...request, stream: true }, { signal: controller.signal });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && ++deltas === 2) controller.abort();
    }
    const aborted = await fake.waitForAborted(2_000);
    expect(aborted).toMatchObject({ path: '/v1/messages', aborted: true });
    expect(aborted.piecesSent).toBeGreaterThanOrEqual(deltas);
    expect(aborted.piecesSent).toBeLessThan(10);
  });
});
