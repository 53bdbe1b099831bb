import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeGemini } from './support/fake-gemini';
import { startTestApp, TestApp } from './support/test-app';

/**
 * An OpenAI client (the official SDK) calling a Gemini model with tools and images: the request is
 * translated to Gemini's generateContent body, the reply (streamed function calls included) back to
 * OpenAI's, and the call is charged from Gemini's own usageMetadata.
 */
describe('AI translation: an OpenAI client calling a Gemini model with tools and images', () => {
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

  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
  const spent = settling(() => api, async (userId: string) => Credits.whole(1000).minus((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).millis);
  const usageOf = settling(() => api, async (userId: string) => (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const fundedUser = async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 1000);
    return user;
  };
  const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  const tool: ChatCompletionTool = { type: 'function', function: { name: 'get_weather', description: 'Current weather in a city', parameters } };

  it('streams a function call back as an OpenAI tool-call delta, sends the tool result as a functionResponse, streams the answer, charged from usageMetadata', async () => {
    const user = await fundedUser();
    const openai = client(user.apiKey);
    gemini.reply({ usage: { input: 60, output: 12 } });
    gemini.thenParts([{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }]);
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Weather in Oslo?' },
    ];
    const stream = await openai.chat.completions.create({ model: 'gemini-2.5-pro', messages, tools: [tool], tool_choice: 'required', stream: true, stream_options: { include_usage: true } });
    let content = '';
    const calls: Array<{ index: number; id?: string; name?: string; args?: string }> = [];
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) calls.push({ index: call.index, id: call.id, name: call.function?.name, args: call.function?.arguments });
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(content).toBe('Let me check.');
    expect(calls).toEqual([{ index: 0, id: expect.stringMatching(/^call_\S+$/), name: 'get_weather', args: '{"city":"Oslo"}' }]);
    expect(finish).toBe('tool_calls');
    expect(usage).toMatchObject({ prompt_tokens: 60, completion_tokens: 12, total_tokens: 72 });
    expect(gemini.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent');
    expect(gemini.requests[0]?.search).toBe('?alt=sse');
    expect(gemini.requests[0]?.body).toEqual({
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Weather in Oslo?' }] }],
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Current weather in a city', parameters }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: { maxOutputTokens: 4096 },
    });

    const callId = calls[0]?.id as string;
    gemini.reply({ text: 'Minus three, and snowing.', usage: { input: 90, output: 9 } });
    const answer = await openai.chat.completions.create({
      model: 'gemini-2.5-pro',
      tools: [tool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_completion_tokens: 100_000,
      temperature: 0,
      stop: ['END'],
      stream: true,
      messages: [
        ...messages,
        { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: callId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: callId, content: '{"temperature_c":-3,"sky":"snow"}' },
      ],
    });
    let text = '';
    let last: string | null = null;
    let usageSeen = false;
    for await (const chunk of answer) {
      text += chunk.choices[0]?.delta.content ?? '';
      last = chunk.choices[0]?.finish_reason ?? last;
      usageSeen ||= !!chunk.usage;
    }
    expect({ text, last, usageSeen }).toEqual({ text: 'Minus three, and snowing.', last: 'stop', usageSeen: false });
    expect(gemini.requests[1]?.body).toEqual({
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
        { role: 'model', parts: [{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temperature_c: -3, sky: 'snow' } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Current weather in a city', parameters }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
      // The cap above the model's limit is clamped to it (gemini-2.5-pro: 65,536), as on every path.
      generationConfig: { maxOutputTokens: 65_536, temperature: 0, stopSequences: ['END'] },
    });

    // gemini-2.5-pro: 10 milli-credits a token in and out, from Gemini's usageMetadata.
    expect(await spent(user.userId)).toBe(BigInt((60 + 12 + 90 + 9) * 10));
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ endpoint: 'openai', provider: 'gemini', model: 'gemini-2.5-pro', stream: true, input_tokens: 60, output_tokens: 12, credits: '720', status: 'ok' }),
      expect.objectContaining({ endpoint: 'openai', provider: 'gemini', model: 'gemini-2.5-pro', stream: true, input_tokens: 90, output_tokens: 9, credits: '990', status: 'ok' }),
    ]);
  });

  it('sends a base64 image as inlineData and answers in OpenAI’s shape; refuses an https image URL naming the part, calling and charging nothing', async () => {
    const user = await fundedUser();
    gemini.reply({ text: 'A small cat.', usage: { input: 300, output: 4 } });
    const data = 'iVBORw0KGgo'.repeat(10);
    const answer = await client(user.apiKey).chat.completions.create({
      model: 'gemini-2.5-pro',
      max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } }] }],
    });
    expect(answer.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'A small cat.' }, finish_reason: 'stop' });
    expect(answer.usage).toMatchObject({ prompt_tokens: 300, completion_tokens: 4, total_tokens: 304 });
    expect(gemini.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
    expect(gemini.requests[0]?.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data } }] }],
      generationConfig: { maxOutputTokens: 50 },
    });
    expect(await spent(user.userId)).toBe(BigInt(304 * 10));
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'openai', provider: 'gemini', stream: false, input_tokens: 300, output_tokens: 4, status: 'ok' })]);

    const other = await fundedUser();
    const byUrl = client(other.apiKey).chat.completions.create({
      model: 'gemini-2.5-pro',
      tools: [tool],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image_url', image_url: { url: 'https://images.example.com/cat.png' } }] }],
    });
    await expect(byUrl).rejects.toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages[0].content[1]', message: expect.stringContaining('messages[0].content[1] (image_url)') });
    expect(gemini.requests).toHaveLength(1);
    expect(await spent(other.userId)).toBe(0n);
    expect(await usageOf(other.userId)).toEqual([]);
  });

  it('refuses a field that cannot map, naming it, before any provider call', async () => {
    const user = await fundedUser();
    const openai = client(user.apiKey);
    const logprobs = openai.chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }], tools: [tool], logprobs: true });
    await expect(logprobs).rejects.toMatchObject({ status: 400, param: 'logprobs', message: expect.stringContaining('logprobs') });
    const choices = openai.chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }], tools: [tool], n: 2 });
    await expect(choices).rejects.toMatchObject({ status: 400, param: 'n' });
    expect(gemini.requests).toHaveLength(0);
    expect(await spent(user.userId)).toBe(0n);
    expect(await usageOf(user.userId)).toEqual([]);
  });
});
