import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeAnthropic } from './support/fake-anthropic';
import { FakeOpenAI } from './support/fake-openai';
import { eventually, startTestApp, TestApp } from './support/test-app';

describe('AI gateway: Anthropic-compatible endpoint with the official @anthropic-ai/sdk', () => {
  let api: TestApp;
  let claude: FakeAnthropic;
  let openai: FakeOpenAI;
  let db: DataSource;

  beforeAll(async () => {
    claude = new FakeAnthropic();
    openai = new FakeOpenAI();
    await Promise.all([claude.start(), openai.start()]);
    api = await startTestApp({
      ...claude.env(),
      ...openai.env(),
      AI_RETRY_BASE_MS: '20',
      AI_CIRCUIT_FAILURES: '1000',
      DATABASE_POOL_MAX: '10',
    });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([claude.stop(), openai.stop()]);
  });
  beforeEach(() => {
    claude.reset();
    openai.reset();
  });

  /** The SDK as a user points it at the hub: base URL = the hub's origin, the key as `apiKey`. */
  const client = (apiKey: string) => new Anthropic({ apiKey, baseURL: api.url, maxRetries: 0 });
  const balance = settling(() => api, async (userId: string) =>
    (await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO);
  const usageOf = settling(() => api, async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const activeHolds = settling(() => api, async (userId: string) =>
    (
      (await db.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [
        userId,
      ])) as Array<{ n: number }>
    )[0]?.n);
  /** Claude models cost 8 credits per 1,000 tokens in and out (8 milli-credits a token); gpt-4o 10. */
  const spent = (tokens: number, perToken: 8 | 10) =>
    Credits.whole(100)
      .minus(Credits.fromMillis(tokens * perToken))
      .toString();
  const rejection = (call: Promise<unknown>) =>
    call.then(
      () => {
        throw new Error('expected the call to be refused');
      },
      (error: unknown) => error as APIError,
    );

  it('answers a Claude model with a Message as the upstream wrote it, charging exactly usage × price', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.reply({ text: 'The answer is 42.', usage: { input: 120, output: 30 } });

    // Asked by alias: the Message names the model that answered, as Anthropic names the snapshot.
    const message = await client(user.apiKey).messages.create({
      model: 'claude-sonnet',
      max_tokens: 200,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'What is the answer?' }],
    });
    expect(message).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'The answer is 42.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 120, output_tokens: 30 },
    });
    expect(message._request_id).toBeTruthy();
    expect(claude.requests[0]?.body).toMatchObject({
      model: 'claude-sonnet-4-6',
      max_tokens: 200,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'What is the answer?' }],
    });
    expect((await balance(user.userId)).toString()).toBe(spent(150, 8));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({
        endpoint: 'anthropic',
        model: 'claude-sonnet-4-6',
        provider: 'anthropic',
        stream: false,
        input_tokens: 120,
        output_tokens: 30,
        credits: '1200',
        status: 'ok',
      }),
    ]);
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('streams with messages.stream(): text events as sent, finalMessage() with the charged usage', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.reply({ text: 'one two three four', pieces: 4, usage: { input: 50, output: 4 } });

    const stream = client(user.apiKey).messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'count' }],
    });
    const pieces: string[] = [];
    stream.on('text', (text) => pieces.push(text));
    const final = await stream.finalMessage();

    expect(pieces).toEqual(['one', ' two', ' three', ' four']);
    expect(final).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'one two three four' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 50, output_tokens: 4 },
    });
    expect(claude.requests[0]?.body).toMatchObject({ stream: true, max_tokens: 100 });
    expect((await balance(user.userId)).toString()).toBe(spent(54, 8));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({
        endpoint: 'anthropic',
        stream: true,
        input_tokens: 50,
        output_tokens: 4,
        credits: '432',
        status: 'ok',
      }),
    ]);
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('streams Anthropic’s event sequence to create({stream: true}), naming the stop sequence that ended it', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.reply({
      text: 'alpha beta gamma',
      pieces: 3,
      usage: { input: 9, output: 3 },
      stopReason: 'stop_sequence',
      stopSequence: 'END',
    });

    const stream = await client(user.apiKey).messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      stop_sequences: ['END'],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say three words' }] }],
      stream: true,
    });
    const events: Anthropic.MessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);

    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const text = events
      .flatMap((e) =>
        e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : [],
      )
      .join('');
    expect(text).toBe('alpha beta gamma');
    expect(events[0]).toMatchObject({
      message: { role: 'assistant', model: 'claude-haiku-4-5', content: [], stop_reason: null },
    });
    expect(events.find((e) => e.type === 'message_delta')).toMatchObject({
      delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' },
      usage: { input_tokens: 9, output_tokens: 3 },
    });
    // Same format: the content blocks reach Anthropic as the client wrote them.
    expect(claude.requests[0]?.body).toMatchObject({
      stop_sequences: ['END'],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say three words' }] }],
    });
    expect((await balance(user.userId)).toString()).toBe(spent(12, 8));
  });

  it('speaks the exact SSE wire format to a client sending the key as x-api-key', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.reply({ text: 'hi there', pieces: 2, usage: { input: 4, output: 2 } });

    const res = await fetch(`${api.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': user.apiKey,
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 20,
        stream: true,
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => {
        const [eventLine, dataLine, ...rest] = frame.split('\n');
        expect(rest).toEqual([]);
        return {
          event: eventLine?.replace(/^event: /, ''),
          data: JSON.parse(dataLine?.replace(/^data: /, '') ?? 'null') as { type: string },
        };
      });
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const frame of frames) expect(frame.data.type).toBe(frame.event);
  });

  it('lets an Anthropic client call a GPT model, mapped faithfully to OpenAI’s format, streams included', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    openai.reply({ text: 'Bonjour', usage: { input: 10, output: 2 } });
    const gpt = client(user.apiKey);

    const message = await gpt.messages.create({
      model: 'gpt-4o',
      max_tokens: 64,
      system: [{ type: 'text', text: 'Answer in French.' }],
      stop_sequences: ['END'],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      // Deprecated in the SDK's types, still part of the API and mapped.
      ...({ temperature: 0.5 } as object),
    });
    expect(message).toMatchObject({
      model: 'gpt-4o',
      content: [{ type: 'text', text: 'Bonjour' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 10, output_tokens: 2 },
    });
    expect(openai.requests[0]?.body).toMatchObject({
      model: 'gpt-4o',
      max_tokens: 64,
      stop: ['END'],
      temperature: 0.5,
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect((await balance(user.userId)).toString()).toBe(spent(12, 10));

    // OpenAI reports usage only at the end of a stream: message_delta carries it to finalMessage().
    openai.reply({ text: 'un deux trois quatre cinq', pieces: 5, usage: { input: 5 } });
    const stream = gpt.messages.stream({
      model: 'gpt-4o',
      max_tokens: 3,
      messages: [{ role: 'user', content: 'Count in French' }],
    });
    const final = await stream.finalMessage();
    expect(final).toMatchObject({
      content: [{ type: 'text', text: 'un deux trois' }],
      stop_reason: 'max_tokens',
      usage: { input_tokens: 5, output_tokens: 3 },
    });
    expect(openai.requests[1]?.body).toMatchObject({
      stream: true,
      max_tokens: 3,
      stream_options: { include_usage: true },
    });
    expect((await balance(user.userId)).toString()).toBe(spent(12 + 8, 10));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ endpoint: 'anthropic', provider: 'openai', stream: false, credits: '120' }),
      expect.objectContaining({
        endpoint: 'anthropic',
        provider: 'openai',
        stream: true,
        input_tokens: 5,
        output_tokens: 3,
        credits: '80',
      }),
    ]);
  });

  it('refuses with 402 (billing_error) a user who cannot cover the hold, and the upstream receives nothing', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, '0.5');
    const error = await rejection(
      client(user.apiKey).messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 1000,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.PaymentRequiredError);
    expect(error).toMatchObject({
      status: 402,
      type: 'billing_error',
      error: { type: 'error', error: { type: 'billing_error' } },
    });

    const streamed = await rejection(
      client(user.apiKey).messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 1000,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(streamed).toBeInstanceOf(Anthropic.PaymentRequiredError);
    expect(claude.requests).toHaveLength(0);
    expect((await balance(user.userId)).toString()).toBe('0.5');
  });

  it('refuses bad requests in Anthropic’s error shape before any provider call', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    const anthropic = client(user.apiKey);
    const hi = [{ role: 'user' as const, content: 'hi' }];

    const unknownModel = await rejection(
      anthropic.messages.create({ model: 'claude-9', max_tokens: 10, messages: hi }),
    );
    expect(unknownModel).toBeInstanceOf(Anthropic.NotFoundError);
    expect(unknownModel.error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: expect.stringContaining('claude-9') },
    });

    const noMaxTokens = await rejection(
      anthropic.messages.create({ model: 'claude-sonnet-4-6', messages: hi } as never),
    );
    expect(noMaxTokens).toBeInstanceOf(Anthropic.BadRequestError);
    expect(noMaxTokens.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
      request_id: expect.any(String),
    });

    const huge = 'word '.repeat(200_000);
    const tooLong = await rejection(
      anthropic.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 1000,
        messages: [{ role: 'user', content: huge }],
      }),
    );
    expect(tooLong).toBeInstanceOf(Anthropic.BadRequestError);
    expect(tooLong.type).toBe('invalid_request_error');

    expect(claude.requests).toHaveLength(0);
    expect((await balance(user.userId)).toString()).toBe('10');
  });

  it('answers auth failures in Anthropic’s shape, whether the key comes as Bearer or x-api-key', async () => {
    const bearer = await rejection(
      client('sah_not-a-key').messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(bearer).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(bearer.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });

    const res = await fetch(`${api.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sah_not-a-key' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: expect.any(String) },
    });
  });

  it('turns a persistently failing upstream into a 502 in Anthropic’s shape and charges nothing', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.failAlways({ status: 500 });
    const hi = {
      model: 'claude-sonnet-4-6',
      max_tokens: 10,
      messages: [{ role: 'user' as const, content: 'hi' }],
    };

    const error = await rejection(client(user.apiKey).messages.create(hi));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error).toMatchObject({ status: 502, type: 'api_error' });
    expect(claude.requests).toHaveLength(4);

    // A stream that never started fails the same way, as a plain HTTP error.
    const streamed = await rejection(client(user.apiKey).messages.stream(hi).finalMessage());
    expect(streamed).toMatchObject({ status: 502, type: 'api_error' });

    expect((await balance(user.userId)).toString()).toBe('100');
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ status: 'error', error_code: 'PROVIDER_ERROR', credits: '0' }),
      expect.objectContaining({ status: 'error', error_code: 'PROVIDER_ERROR', credits: '0', stream: true }),
    ]);
    // A failed call records the provider calls it made, as a successful one does.
    expect((await usageOf(user.userId))[0]).toMatchObject({ attempts: 4 });
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('passes on a rate-limited upstream as 429 with Retry-After; the next call waits out its only key’s rest', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.failAlways({ status: 429, retryAfterSeconds: 1 });
    const hi = {
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user' as const, content: 'hi' }],
    };

    const limited = await rejection(client(user.apiKey).messages.create(hi));
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited).toMatchObject({ status: 429, type: 'rate_limit_error' });
    expect(limited.headers?.get('retry-after')).toBe('1');
    expect(claude.requests).toHaveLength(4);
    expect((await balance(user.userId)).toString()).toBe('100');

    // The provider recovers; a call right away waits for the key's second of rest, then is served.
    const lastLimitedAt = claude.requests[3]?.at ?? Number.NaN;
    claude.reset();
    claude.reply({ text: 'ok', usage: { input: 4, output: 1 } });
    const answered = await client(user.apiKey).messages.create(hi);
    expect(answered.content).toEqual([expect.objectContaining({ type: 'text', text: 'ok' })]);
    expect(claude.requests).toHaveLength(1);
    expect((claude.requests[0]?.at ?? 0) - lastLimitedAt).toBeGreaterThanOrEqual(1_000);
    expect((await balance(user.userId)).toString()).toBe(spent(5, 8));
  });

  it('reports an upstream that breaks off mid-stream as an error event, and charges nothing', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.reply({ text: 'a b c d e f', pieces: 6, cutAfterPieces: 2 });

    const stream = await client(user.apiKey).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 50,
      stream: true,
      messages: [{ role: 'user', content: 'letters' }],
    });
    let text = '';
    const failure = await (async () => {
      try {
        for await (const event of stream)
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
            text += event.delta.text;
      } catch (error) {
        return error as APIError;
      }
      return undefined;
    })();
    expect(text).toBe('a b');
    expect(failure).toBeInstanceOf(APIError);
    // An `error` event, not an HTTP status: the 200 went out with the first event.
    expect(failure).toMatchObject({ status: undefined, type: 'api_error', apiMessage: expect.any(String) });
    const [usage] = await eventually(
      () => usageOf(user.userId),
      (rows) => rows.length > 0,
    );
    expect(usage).toMatchObject({ status: 'error', stream: true, credits: '0' });
    expect(usage).toMatchObject({ attempts: 1 });
    expect((await balance(user.userId)).toString()).toBe('100');
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('stops the upstream when the client aborts mid-stream and charges only what was produced', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    claude.reply({ pieces: 40, pieceDelayMs: 50 });
    const controller = new AbortController();
    const stream = await client(user.apiKey).messages.create(
      {
        model: 'claude-sonnet-4-6',
        max_tokens: 1000,
        stream: true,
        messages: [{ role: 'user', content: 'talk' }],
      },
      { signal: controller.signal },
    );
    let received = 0;
    try {
      for await (const event of stream) {
        if (event.type === 'content_block_delta') received += 1;
        if (received === 5) controller.abort();
      }
    } catch {
      // The SDK may report the abort; stopping is the point.
    }
    const upstream = await claude.waitForAborted();
    expect(upstream.piecesSent).toBeLessThan(40);

    const [usage] = await eventually(
      () => usageOf(user.userId),
      (rows) => rows.length > 0,
    );
    expect(usage).toMatchObject({ endpoint: 'anthropic', status: 'aborted', stream: true });
    expect(usage?.output_tokens).toBeGreaterThan(0);
    expect(usage?.output_tokens).toBeLessThan(40);
    const charged = Credits.whole(100).minus(await balance(user.userId));
    expect(charged.millis).toBe(BigInt(usage?.credits ?? -1));
    expect(charged.millis).toBeLessThan(BigInt(((usage?.input_tokens ?? 0) + 40) * 8));
    expect(await activeHolds(user.userId)).toBe(0);
  });
});
