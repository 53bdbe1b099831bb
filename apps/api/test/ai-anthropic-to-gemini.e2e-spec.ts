import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeGemini } from './support/fake-gemini';
import { startTestApp, TestApp } from './support/test-app';

/**
 * An Anthropic client (the official SDK) calling a Gemini model with tools and images: the request goes
 * Anthropic → OpenAI → Gemini's generateContent, the reply (a streamed function call included) back
 * the same way, and the call is charged from Gemini's own usageMetadata.
 */
describe('AI translation: an Anthropic client calling a Gemini model with tools and images', () => {
  let api: TestApp;
  let gemini: FakeGemini;
  let db: DataSource;

  beforeAll(async () => {
    gemini = new FakeGemini();
    await gemini.start();
    api = await startTestApp({ ...gemini.env() });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await gemini.stop();
  });
  beforeEach(() => gemini.reset());

  const client = (apiKey: string) => new Anthropic({ apiKey, baseURL: api.url, maxRetries: 0 });
  const spent = settling(() => api, async (userId: string) => Credits.whole(1000).minus((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).millis);
  const usageOf = settling(() => api, async (userId: string) => (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const fundedUser = async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 1000);
    return user;
  };
  const parameters = { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] };
  const tool: Tool = { name: 'get_weather', description: 'Current weather in a city', input_schema: parameters };
  const declarations = [{ functionDeclarations: [{ name: 'get_weather', description: 'Current weather in a city', parameters }] }];

  it('streams a function call back as a tool_use block, sends the tool_result as a functionResponse, answers, charged from usageMetadata', async () => {
    const user = await fundedUser();
    const anthropic = client(user.apiKey);
    gemini.reply({ usage: { input: 60, output: 12 } });
    gemini.thenParts([{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }]);
    const question: MessageParam = { role: 'user', content: 'Weather in Oslo?' };
    const called = await anthropic.messages
      .stream({ model: 'gemini-2.5-pro', max_tokens: 1024, system: 'You are terse.', messages: [question], tools: [tool], tool_choice: { type: 'any' } })
      .finalMessage();
    expect(called).toMatchObject({
      model: 'gemini-2.5-pro',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: expect.stringMatching(/^toolu_\S+$/), name: 'get_weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 60, output_tokens: 12 },
    });
    expect(gemini.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent');
    expect(gemini.requests[0]?.body).toEqual({
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Weather in Oslo?' }] }],
      tools: declarations,
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: { maxOutputTokens: 1024 },
    });

    const use = called.content[1];
    if (use?.type !== 'tool_use') throw new Error('expected a tool_use block');
    gemini.reply({ text: 'Minus three, and snowing.', usage: { input: 90, output: 9 } });
    const answer = await anthropic.messages.create({
      model: 'gemini-2.5-pro',
      max_tokens: 1024,
      system: 'You are terse.',
      // This SDK version's types lack temperature; the API takes it.
      ...({ temperature: 0 } as object),
      stop_sequences: ['END'],
      tools: [tool],
      tool_choice: { type: 'auto' },
      messages: [
        question,
        { role: 'assistant', content: called.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '{"temperature_c":-3,"sky":"snow"}' }] },
      ],
    });
    expect(answer).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Minus three, and snowing.' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 90, output_tokens: 9 },
    });
    expect(gemini.requests[1]?.path).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
    expect(gemini.requests[1]?.body).toEqual({
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
        { role: 'model', parts: [{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temperature_c: -3, sky: 'snow' } } }] },
      ],
      tools: declarations,
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      generationConfig: { maxOutputTokens: 1024, temperature: 0, stopSequences: ['END'] },
    });

    // gemini-2.5-pro: 10 milli-credits a token in and out, from Gemini's usageMetadata.
    expect(await spent(user.userId)).toBe(BigInt((60 + 12 + 90 + 9) * 10));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ endpoint: 'anthropic', provider: 'gemini', model: 'gemini-2.5-pro', stream: true, input_tokens: 60, output_tokens: 12, credits: '720', status: 'ok' }),
      expect.objectContaining({ endpoint: 'anthropic', provider: 'gemini', model: 'gemini-2.5-pro', stream: false, input_tokens: 90, output_tokens: 9, credits: '990', status: 'ok' }),
    ]);
  });

  it('sends a base64 image as inlineData and answers in Anthropic’s shape; refuses an image by URL naming the field, calling and charging nothing', async () => {
    const user = await fundedUser();
    gemini.reply({ text: 'A small cat.', usage: { input: 300, output: 4 } });
    const data = 'iVBORw0KGgo'.repeat(10);
    const answer = await client(user.apiKey).messages.create({
      model: 'gemini-2.5-pro',
      max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data } }] }],
    });
    expect(answer).toMatchObject({ content: [{ type: 'text', text: 'A small cat.' }], stop_reason: 'end_turn', usage: { input_tokens: 300, output_tokens: 4 } });
    expect(gemini.requests[0]?.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data } }] }],
      generationConfig: { maxOutputTokens: 50 },
    });
    expect(await spent(user.userId)).toBe(BigInt(304 * 10));
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'anthropic', provider: 'gemini', stream: false, input_tokens: 300, output_tokens: 4, credits: '3040', status: 'ok' })]);

    const other = await fundedUser();
    const refused = await client(other.apiKey)
      .messages.create({
        model: 'gemini-2.5-pro',
        max_tokens: 50,
        tools: [tool],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image', source: { type: 'url', url: 'https://images.example.com/cat.png' } }] }],
      })
      .then(
        () => {
          throw new Error('expected the call to be refused');
        },
        (error: unknown) => error as APIError,
      );
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect(refused.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('messages.0.content.1.source.type') },
      request_id: expect.any(String),
    });
    expect(gemini.requests).toHaveLength(1);
    expect(await spent(other.userId)).toBe(0n);
    expect(await usageOf(other.userId)).toEqual([]);
  });
});
