import { verifyLedger } from '@sah/infrastructure';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { fund } from './support/billing-fixtures';
import { FakeFal } from './support/fake-fal';
import { FakeMediaOpenAI, FAKE_MP4, FAKE_PNG } from './support/fake-media-openai';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const JOB_FIELDS = 'id status model provider credits attempts moderation { flagged categories } result { url contentType size width height durationSeconds } error { code message details }';

interface JobView {
  id: string;
  status: string;
  model: string;
  provider: string;
  credits: number;
  attempts: number;
  moderation: { flagged: boolean; categories: string[] } | null;
  result: { url: string; contentType: string; size: number; width: number | null; height: number | null; durationSeconds: number | null } | null;
  error: { code: string; message: string; details: Record<string, unknown> | null } | null;
}

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];

/**
 * fal.ai as a media provider, through the official `@fal-ai/client` pointed at a local fake fal
 * proxy; failover between providers of one model; reference images moderated with the prompt.
 */
describe('media jobs through fal.ai, failover, reference image moderation', () => {
  let api: TestApp;
  let openai: FakeMediaOpenAI;
  let fal: FakeFal;
  let storageDir: string;

  beforeAll(async () => {
    openai = await new FakeMediaOpenAI().start();
    fal = await new FakeFal().start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-fal-'));
    api = await startTestApp({
      ...openai.env(),
      ...fal.env(),
      MEDIA_STORAGE_DIR: storageDir,
      MEDIA_POLL_INTERVAL_MS: '50',
      MEDIA_RETRY_BASE_MS: '50',
      MEDIA_CIRCUIT_FAILURES: '3',
      MEDIA_CIRCUIT_OPEN_MS: '600000',
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await fal?.stop();
    await openai?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  async function user(credits: number) {
    const session = await createSignedInUser(api);
    if (credits > 0) await fund(api, session.userId, credits);
    return session;
  }

  async function create(kind: 'Image' | 'Video', input: Record<string, unknown>, token: string) {
    return gql<Record<string, JobView>>(
      api.url,
      `mutation ($input: Create${kind}JobInput!) { create${kind}Job(input: $input) { ${JOB_FIELDS} } }`,
      { input },
      token,
    );
  }

  async function finished(id: string, token: string): Promise<JobView> {
    return eventually(
      async () => dataOf(await gql<{ mediaJob: JobView }>(api.url, `query ($id: ID!) { mediaJob(id: $id) { ${JOB_FIELDS} } }`, { id }, token)).mediaJob,
      (view) => FINISHED.includes(view.status),
      30_000,
    );
  }

  /** The account once it shows the expected figures (a final status is written a moment before its settlement). */
  async function account(userId: string, expected: { balance: string; reserved: string }) {
    const read = async () => {
      const state = await api.app.get(LedgerService).balance(userId);
      return { balance: state.balance.toString(), reserved: state.reserved.toString() };
    };
    return eventually(read, (state) => state.balance === expected.balance && state.reserved === expected.reserved);
  }

  async function download(url: string): Promise<Buffer> {
    const parsed = new URL(url);
    const response = await fetch(`${api.url}${parsed.pathname}${parsed.search}`);
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  /** fal calls that concern one request id (its submission answered it). */
  function falCallsFor(requestId: string) {
    return fal.calls.filter((call) => call.url.includes(requestId)).map((call) => call.kind);
  }

  function submissionsWith(prompt: string) {
    return fal.of('submit').filter((call) => call.body['prompt'] === prompt);
  }

  it('makes a flux image through the fal queue: submit → status → result → file, 50 credits charged once, the file stored', async () => {
    const owner = await user(100);
    const created = dataOf(await create('Image', { prompt: 'a fox in the snow', model: 'flux-schnell', size: '1024x768' }, owner.accessToken)).createImageJob!;
    expect(created).toMatchObject({ model: 'flux-schnell', provider: 'fal', credits: 50 });
    const done = await finished(created.id, owner.accessToken);
    expect(done).toMatchObject({ status: 'SUCCEEDED', provider: 'fal', error: null, moderation: { flagged: false } });
    expect(done.result).toMatchObject({ contentType: 'image/png', size: FAKE_PNG.length, width: 1, height: 1 });
    expect(await download(done.result!.url)).toEqual(FAKE_PNG);

    const [submission] = submissionsWith('a fox in the snow');
    expect(submission).toMatchObject({ method: 'POST', url: 'https://queue.fal.run/fal-ai/flux/schnell' });
    expect(submission!.body).toMatchObject({ num_images: 1, image_size: { width: 1024, height: 768 } });
    const requestId = fal.calls.find((call) => call.kind === 'status' && call.at >= submission!.at)!.url.split('/requests/')[1]!.split('/')[0]!;
    // Status and result at the app's URL (owner/alias), then the file from the CDN: once each, nothing submitted twice.
    const kinds = falCallsFor(requestId);
    expect(kinds.filter((kind) => kind === 'status').length).toBeGreaterThanOrEqual(fal.pollsToComplete);
    expect(kinds.slice(-2)).toEqual(['result', 'file']);
    expect(fal.calls.filter((call) => call.url === `https://queue.fal.run/fal-ai/flux/requests/${requestId}`)).toHaveLength(1);
    expect(submissionsWith('a fox in the snow')).toHaveLength(1);

    expect(await account(owner.userId, { balance: '50', reserved: '0' })).toEqual({ balance: '50', reserved: '0' });
    expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
  }, 60_000);

  it('makes a Kling video through fal: a 429 with Retry-After on submission is waited out, 5 s at 200/min charged once, the video stored', async () => {
    const owner = await user(100);
    fal.failNext('submit', { status: 429, retryAfter: '1' });
    const created = dataOf(await create('Video', { prompt: 'a paper boat on a river', model: 'kling-video-2.1', seconds: 5, size: '1280x720' }, owner.accessToken)).createVideoJob!;
    expect(created.credits).toBe(16.667);
    const done = await finished(created.id, owner.accessToken);
    expect(done).toMatchObject({ status: 'SUCCEEDED', provider: 'fal', attempts: 1 });
    // fal's video output names no length: none is recorded.
    expect(done.result).toMatchObject({ contentType: 'video/mp4', size: FAKE_MP4.length, durationSeconds: null });
    expect(await download(done.result!.url)).toEqual(FAKE_MP4);

    const submissions = submissionsWith('a paper boat on a river');
    expect(submissions).toHaveLength(2);
    // The rate-limited submission was retried after the provider's Retry-After (1 s), not the 50 ms backoff.
    expect(submissions[1]!.at - submissions[0]!.at).toBeGreaterThanOrEqual(900);
    expect(submissions[1]!.url).toBe('https://queue.fal.run/fal-ai/kling-video/v2.1/standard/text-to-video');
    expect(submissions[1]!.body).toMatchObject({ duration: '5', aspect_ratio: '16:9' });

    expect(await account(owner.userId, { balance: '83.333', reserved: '0' })).toEqual({ balance: '83.333', reserved: '0' });
    expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
  }, 60_000);

  it('a video fal reports failed is released, and a submitted video stays at fal through its status errors (never submitted twice)', async () => {
    const owner = await user(100);
    const failed = dataOf(await create('Video', { prompt: 'PROVIDER_FAIL a storm', model: 'kling-video-2.1', seconds: 5 }, owner.accessToken)).createVideoJob!;
    expect(await finished(failed.id, owner.accessToken)).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_ERROR' } });

    fal.failNext('status', { status: 503 }, { status: 500 }, { status: 429, retryAfter: '0' });
    const polled = dataOf(await create('Video', { prompt: 'a lantern festival', model: 'kling-video-2.1', seconds: 5 }, owner.accessToken)).createVideoJob!;
    expect(await finished(polled.id, owner.accessToken)).toMatchObject({ status: 'SUCCEEDED', provider: 'fal', attempts: 0 });
    expect(submissionsWith('a lantern festival')).toHaveLength(1);

    expect(await account(owner.userId, { balance: '83.333', reserved: '0' })).toEqual({ balance: '83.333', reserved: '0' });
    expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
  }, 60_000);

  it('fails over to the model’s second provider when the first answers 5xx until its circuit opens; charged once', async () => {
    // An admin routes gpt-image-1 to OpenAI first, fal second; routes naming no adapter are refused.
    const admin = await createSignedInUser(api, 'ADMIN');
    const route = (routes: Array<{ provider: string; upstreamModel: string }>, token = admin.accessToken) =>
      gql<{ setMediaModelRoutes: { id: string; providers: string[]; routes: Array<{ provider: string; upstreamModel: string }> } }>(
        api.url,
        'mutation ($input: SetMediaModelRoutesInput!) { setMediaModelRoutes(input: $input) { id providers routes { provider upstreamModel } } }',
        { input: { id: 'gpt-image-1', routes } },
        token,
      );
    expect(errorCode(await route([{ provider: 'midjourney', upstreamModel: 'v7' }]))).toBe('BAD_USER_INPUT');
    expect(errorCode(await route([{ provider: 'fal', upstreamModel: 'fal-ai/flux/schnell' }], (await user(0)).accessToken))).toBe('FORBIDDEN');
    const routed = dataOf(await route([
      { provider: 'openai', upstreamModel: 'gpt-image-1' },
      { provider: 'fal', upstreamModel: 'fal-ai/flux/schnell' },
    ])).setMediaModelRoutes;
    expect(routed.routes).toEqual([
      { provider: 'openai', upstreamModel: 'gpt-image-1' },
      { provider: 'fal', upstreamModel: 'fal-ai/flux/schnell' },
    ]);
    const models = dataOf(await gql<{ mediaModels: Array<{ id: string; providers: string[] }> }>(api.url, '{ mediaModels { id providers } }', {}, admin.accessToken));
    expect(models.mediaModels.find((model) => model.id === 'gpt-image-1')?.providers).toEqual(['openai', 'fal']);

    const owner = await user(100);
    const imageCallsBefore = openai.calls('/v1/images/generations').length;
    openai.failServer('/v1/images/generations', 100);
    try {
      const first = dataOf(await create('Image', { prompt: 'a windmill in a field' }, owner.accessToken)).createImageJob!;
      expect(first).toMatchObject({ model: 'gpt-image-1', provider: 'openai' });
      const done = await finished(first.id, owner.accessToken);
      // Three 500s from OpenAI (retried with backoff) opened its circuit; the fourth attempt went to fal.
      expect(done).toMatchObject({ status: 'SUCCEEDED', provider: 'fal', attempts: 3 });
      expect(await download(done.result!.url)).toEqual(FAKE_PNG);
      expect(openai.calls('/v1/images/generations').length - imageCallsBefore).toBe(3);
      expect(submissionsWith('a windmill in a field')).toHaveLength(1);

      // With the circuit open, the next job goes to fal at once.
      const second = dataOf(await create('Image', { prompt: 'a second windmill' }, owner.accessToken)).createImageJob!;
      expect(await finished(second.id, owner.accessToken)).toMatchObject({ status: 'SUCCEEDED', provider: 'fal', attempts: 0 });
      expect(openai.calls('/v1/images/generations').length - imageCallsBefore).toBe(3);
    } finally {
      openai.failServer('/v1/images/generations', 0);
    }
    expect(await account(owner.userId, { balance: '0', reserved: '0' })).toEqual({ balance: '0', reserved: '0' });
    expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
  }, 60_000);

  it('moderates a reference image with the prompt: a flagged one rejects the job with CONTENT_REJECTED and nothing charged or submitted', async () => {
    const owner = await user(100);
    const flaggedUrl = 'https://images.example.com/FLAGGED-reference.png';
    const rejected = dataOf(await create('Image', { prompt: 'a portrait in this style', model: 'flux-schnell', referenceImageUrl: flaggedUrl }, owner.accessToken)).createImageJob!;
    const done = await finished(rejected.id, owner.accessToken);
    expect(done).toMatchObject({ status: 'FAILED', error: { code: 'CONTENT_REJECTED', details: { categories: ['violence', 'violence/graphic'] } } });
    expect(done.moderation).toEqual({ flagged: true, categories: ['violence', 'violence/graphic'] });
    const moderated = openai.calls('/v1/moderations').find((call) => JSON.stringify(call.body).includes(flaggedUrl));
    expect(moderated?.body).toEqual({
      model: 'omni-moderation-latest',
      input: [
        { type: 'text', text: 'a portrait in this style' },
        { type: 'image_url', image_url: { url: flaggedUrl } },
      ],
    });
    expect(submissionsWith('a portrait in this style')).toHaveLength(0);
    expect(await account(owner.userId, { balance: '100', reserved: '0' })).toEqual({ balance: '100', reserved: '0' });

    // A clean reference passes moderation and reaches fal as its image_url.
    const cleanUrl = 'https://images.example.com/reference.png';
    const accepted = dataOf(await create('Image', { prompt: 'a landscape like this one', model: 'flux-schnell', referenceImageUrl: cleanUrl }, owner.accessToken)).createImageJob!;
    expect(await finished(accepted.id, owner.accessToken)).toMatchObject({ status: 'SUCCEEDED' });
    expect(submissionsWith('a landscape like this one')[0]?.body).toMatchObject({ image_url: cleanUrl });

    // Not an https URL or image data URL: refused before anything is held.
    for (const bad of ['http://images.example.com/a.png', 'file:///etc/passwd', 'data:text/plain;base64,aGk=']) {
      expect(errorCode(await create('Image', { prompt: 'x', model: 'flux-schnell', referenceImageUrl: bad }, owner.accessToken))).toBe('BAD_USER_INPUT');
    }
    expect(await account(owner.userId, { balance: '50', reserved: '0' })).toEqual({ balance: '50', reserved: '0' });
    expect((await verifyLedger(api.app.get(DataSource))).problems).toEqual([]);
  }, 60_000);
});
