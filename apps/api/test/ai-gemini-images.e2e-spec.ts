import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeGemini } from './support/fake-gemini';
import { FakeWireUpstream } from './support/fake-wire-upstream';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Images given by URL for a Gemini model. The hub never fetches a URL a caller chose (that would
 * need SSRF checks): the Gemini adapter carries text only, so an OpenAI or Anthropic client's URL
 * image is refused with a 400 naming the field, before any provider call; a Gemini client's
 * `fileData` URL goes to Google as sent, for Google to fetch.
 */
describe('AI gateway: images by URL for a Gemini model', () => {
  let api: TestApp;
  let gemini: FakeGemini;
  /** Where the images' URLs point: any request here would be the hub fetching a caller's URL. */
  let images: FakeWireUpstream;
  let db: DataSource;

  beforeAll(async () => {
    gemini = new FakeGemini();
    images = new FakeWireUpstream('');
    await Promise.all([gemini.start(), images.start()]);
    api = await startTestApp({ ...gemini.env(), AI_RETRY_BASE_MS: '20', AI_CIRCUIT_FAILURES: '1000' });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([gemini.stop(), images.stop()]);
  });
  beforeEach(() => {
    gemini.reset();
    images.reset();
  });

  const spent = settling(() => api, async (userId: string) => Credits.whole(100).minus((await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO).millis);
  const usageOf = settling(() => api, async (userId: string) => (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const fundedUser = async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    return user;
  };

  it('refuses an OpenAI or Anthropic client’s URL image with a 400 in the caller’s shape naming the field, before any call', async () => {
    const user = await fundedUser();
    const url = `${images.url}/cat.png`;
    const openai = new OpenAI({ apiKey: user.apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 }).chat.completions.create({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] }],
    });
    await expect(openai).rejects.toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages[0].content[1]', message: expect.stringContaining('messages[0].content[1] (image_url) is not text') });
    const anthropic = new Anthropic({ apiKey: user.apiKey, baseURL: api.url, maxRetries: 0 }).messages.create({
      model: 'gemini-2.5-pro',
      max_tokens: 100,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'url', url } }] }],
    });
    await expect(anthropic).rejects.toMatchObject({ status: 400, type: 'invalid_request_error', message: expect.stringContaining('messages.0.content.1.source.type: a Gemini model takes images as base64') });

    expect(gemini.requests).toHaveLength(0);
    expect(images.requests).toHaveLength(0);
    expect(await spent(user.userId)).toBe(0n);
    expect(await usageOf(user.userId)).toEqual([]);
  });

  it('forwards a Gemini client’s fileData URL to Google as sent, fetching nothing itself, charged from Google’s usage', async () => {
    const user = await fundedUser();
    gemini.reply({ text: 'A cat.', usage: { input: 300, output: 3 } });
    const contents = [{ role: 'user', parts: [{ text: 'What is this?' }, { fileData: { mimeType: 'image/png', fileUri: `${images.url}/cat.png` } }] }];
    const google = new GoogleGenAI({ apiKey: user.apiKey, httpOptions: { baseUrl: api.url } });
    const response = await google.models.generateContent({ model: 'gemini-2.5-pro', contents, config: { maxOutputTokens: 50 } });
    expect(response.text).toBe('A cat.');
    expect(gemini.requests[0]?.body).toEqual({ contents, generationConfig: { maxOutputTokens: 50 } });
    expect(images.requests).toHaveLength(0);
    // gemini-2.5-pro: 10 milli-credits a token.
    expect(await spent(user.userId)).toBe(BigInt(303 * 10));
    expect(await usageOf(user.userId)).toEqual([expect.objectContaining({ endpoint: 'gemini', provider: 'gemini', input_tokens: 300, output_tokens: 3, status: 'ok' })]);
  });
});
