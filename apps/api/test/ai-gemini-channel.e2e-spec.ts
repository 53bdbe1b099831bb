import { randomBytes } from 'node:crypto';
import { GoogleGenAI } from '@google/genai';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeGemini } from './support/fake-gemini';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const CREATE_MODEL = 'mutation ($input: CreateAiModelInput!) { createAiModel(input: $input) { id } }';
const CREATE_CHANNEL = 'mutation ($input: CreateAiChannelInput!) { createAiChannel(input: $input) { id name protocol baseUrl keyConfigured } }';

/**
 * Google Gemini as a channel an admin creates (protocol `gemini`, its own base URL and key), not the
 * provider configured from the environment: OpenAI clients (translated, through the hub's adapter on
 * the @google/genai SDK) and Gemini clients (forwarded as sent) reach the channel's base URL with the
 * channel's key. Two fakes speak Gemini's wire format: the configured provider and the channel.
 */
describe('AI gateway: a Gemini channel created by an admin', () => {
  let api: TestApp;
  let configured: FakeGemini;
  let upstream: FakeGemini;
  let db: DataSource;
  let admin: { accessToken: string };

  beforeAll(async () => {
    [configured, upstream] = [new FakeGemini(), new FakeGemini()];
    await Promise.all([configured.start(), upstream.start()]);
    // The fakes listen on 127.0.0.1: loopback is allowed for channels as for webhooks in development.
    api = await startTestApp({ ...configured.env(), WEBHOOK_ALLOW_PRIVATE_URLS: 'true', AI_RETRY_BASE_MS: '20' });
    db = api.app.get(DataSource);
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([configured.stop(), upstream.stop()]);
  });
  beforeEach(() => {
    configured.reset();
    upstream.reset();
  });

  const balance = settling(() => api, async (userId: string) => ((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).toString());
  const usageOf = settling(() => api, async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as Array<UsageRow & { channel_id: string; channel_name: string }>);
  /** The model's price: 3 credits per 1,000 tokens in, 7 out, so 3 and 7 milli-credits a token. */
  const cost = (input: number, output: number) => Credits.fromMillis(input * 3 + output * 7);

  /** A new catalogue model (so no other test's channel serves it) and a gemini channel serving it under another upstream name. */
  async function geminiChannel() {
    const suffix = randomBytes(3).toString('hex');
    const model = `gem-routed-${suffix}`;
    const modelInput = { id: model, provider: 'gemini', upstreamModel: 'gemini-2.5-pro', contextWindow: 100_000, maxOutputTokens: 1000, inputPricePer1k: 3, outputPricePer1k: 7 };
    expect(dataOf(await gql<{ createAiModel: { id: string } }>(api.url, CREATE_MODEL, { input: modelInput }, admin.accessToken)).createAiModel.id).toBe(model);
    const apiKey = `AIza-channel-${suffix}`;
    const input = {
      protocol: 'gemini',
      name: `gemini-${suffix}`,
      baseUrl: upstream.url,
      keys: [{ label: 'main', apiKey }],
      models: [{ modelId: model, upstreamModel: 'gemini-2.5-pro-at-channel' }],
    };
    const channel = dataOf(await gql<{ createAiChannel: { id: string; name: string; protocol: string; baseUrl: string; keyConfigured: boolean } }>(api.url, CREATE_CHANNEL, { input }, admin.accessToken))
      .createAiChannel;
    expect(channel).toMatchObject({ protocol: 'gemini', baseUrl: upstream.url, keyConfigured: true });
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    return { model, channel, apiKey, user };
  }

  it('serves an OpenAI client, plain and streamed, from the channel’s base URL with its key; usage names the channel; charged exactly', async () => {
    const { model, channel, apiKey, user } = await geminiChannel();
    const client = new OpenAI({ apiKey: user.apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });

    upstream.reply({ text: 'From the channel.', usage: { input: 40, output: 5 } });
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }], max_tokens: 100 });
    expect(completion.choices[0]?.message.content).toBe('From the channel.');
    upstream.reply({ text: 'one two', pieces: 2, usage: { input: 30, output: 2 } });
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'count' }], stream: true });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe('one two');

    expect(upstream.requests.map((r) => [r.path, r.search, r.apiKey])).toEqual([
      ['/v1beta/models/gemini-2.5-pro-at-channel:generateContent', '', apiKey],
      ['/v1beta/models/gemini-2.5-pro-at-channel:streamGenerateContent', '?alt=sse', apiKey],
    ]);
    expect(upstream.requests[0]?.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 100 },
    });
    expect(configured.requests).toHaveLength(0);
    expect(await balance(user.userId)).toBe(Credits.whole(100).minus(cost(40, 5)).minus(cost(30, 2)).toString());
    expect((await usageOf(user.userId)).map((row) => [row.endpoint, row.provider, row.stream, row.channel_id, row.channel_name, row.input_tokens, row.output_tokens, row.credits, row.status])).toEqual([
      ['openai', 'gemini', false, channel.id, channel.name, 40, 5, '155', 'ok'],
      ['openai', 'gemini', true, channel.id, channel.name, 30, 2, '104', 'ok'],
    ]);
  });

  it('forwards a @google/genai client’s calls, plain and streamed, to the channel with its key; usage names the channel; charged exactly', async () => {
    const { model, channel, apiKey, user } = await geminiChannel();
    const google = new GoogleGenAI({ apiKey: user.apiKey, httpOptions: { baseUrl: api.url } });

    upstream.reply({ text: 'Paris', usage: { input: 20, output: 1 } });
    const response = await google.models.generateContent({ model, contents: 'Capital of France?', config: { systemInstruction: 'One word.', maxOutputTokens: 10 } });
    expect(response.text).toBe('Paris');
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 20, candidatesTokenCount: 1 });
    upstream.reply({ text: 'x y z', pieces: 3, usage: { input: 12, output: 3 } });
    const texts: string[] = [];
    for await (const chunk of await google.models.generateContentStream({ model, contents: 'three letters' })) texts.push(chunk.text ?? '');
    expect(texts).toEqual(['x', ' y', ' z']);

    expect(upstream.requests.map((r) => [r.path, r.search, r.apiKey])).toEqual([
      ['/v1beta/models/gemini-2.5-pro-at-channel:generateContent', '', apiKey],
      ['/v1beta/models/gemini-2.5-pro-at-channel:streamGenerateContent', '?alt=sse', apiKey],
    ]);
    expect(upstream.requests[0]?.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Capital of France?' }] }],
      systemInstruction: { parts: [{ text: 'One word.' }] },
      generationConfig: { maxOutputTokens: 10 },
    });
    expect(configured.requests).toHaveLength(0);
    expect(await balance(user.userId)).toBe(Credits.whole(100).minus(cost(20, 1)).minus(cost(12, 3)).toString());
    expect((await usageOf(user.userId)).map((row) => [row.endpoint, row.provider, row.stream, row.channel_id, row.channel_name, row.input_tokens, row.output_tokens, row.credits, row.status])).toEqual([
      ['gemini', 'gemini', false, channel.id, channel.name, 20, 1, '67', 'ok'],
      ['gemini', 'gemini', true, channel.id, channel.name, 12, 3, '57', 'ok'],
    ]);
  });
});
