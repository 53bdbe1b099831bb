import { verifyLedger } from '@sah/infrastructure';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserRepository } from '@sah/domain';
import { createClient } from 'graphql-ws';
import OpenAI from 'openai';
import WebSocket from 'ws';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { VerifiedSessions } from '../src/contexts/identity/sessions/verified-sessions.service';
import { MediaJobRunner } from '../src/contexts/media/application/media-job-runner';
import { MediaRecovery } from '../src/contexts/media/jobs/media-recovery';
import { RetentionPurges } from '../src/maintenance/retention-purges';
import { MediaJobRepository, QUEUES } from '@sah/infrastructure';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { fund } from './support/billing-fixtures';
import { FakeMediaOpenAI, FAKE_MEDIA_API_KEY, FAKE_MP4, FAKE_PNG } from './support/fake-media-openai';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const JOB_FIELDS = 'id kind status model prompt credits attempts createdAt finishedAt moderation { flagged categories } result { url contentType size sha256 width height durationSeconds } error { code message details }';

interface JobView {
  id: string;
  status: string;
  credits: number;
  attempts: number;
  moderation: { flagged: boolean; categories: string[] } | null;
  result: { url: string; contentType: string; size: number; sha256: string; width: number | null; height: number | null; durationSeconds: number | null } | null;
  error: { code: string; message: string; details: Record<string, unknown> | null } | null;
}

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];

async function mediaUser(api: TestApp, credits: number) {
  const session = await createSignedInUser(api);
  if (credits > 0) await fund(api, session.userId, credits);
  const created = await gql<{ createApiKey: { secret: string } }>(
    api.url,
    'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { name: 'media', scopes: ['media.create'] } },
    session.accessToken,
  );
  return { ...session, apiKey: dataOf(created).createApiKey.secret };
}

async function job(api: TestApp, id: string, token: string): Promise<JobView> {
  return dataOf(await gql<{ mediaJob: JobView }>(api.url, `query ($id: ID!) { mediaJob(id: $id) { ${JOB_FIELDS} } }`, { id }, token)).mediaJob;
}

async function finished(api: TestApp, id: string, token: string, timeoutMs = 30_000): Promise<JobView> {
  return eventually(() => job(api, id, token), (view) => FINISHED.includes(view.status), timeoutMs);
}

/**
 * The user's `mediaJobUpdated` events, collected. Resolves once the subscription is live: until an
 * event arrives, a job moderation rejects (free) is created every second to provoke one.
 */
async function watchJobs(api: TestApp, token: string) {
  const client = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } });
  const seen: Array<{ id: string; status: string; prompt: string }> = [];
  const unsubscribe = client.subscribe<{ mediaJobUpdated: { id: string; status: string; prompt: string } }>(
    { query: 'subscription { mediaJobUpdated { id status prompt } }' },
    { next: ({ data }) => data && seen.push(data.mediaJobUpdated), error: () => undefined, complete: () => undefined },
  );
  await eventually(
    async () => {
      if (seen.length === 0) await gql(api.url, 'mutation { createVideoJob(input: { prompt: "FLAGGED warm-up", seconds: 4 }) { id } }', {}, token);
      return seen.length;
    },
    (count) => count > 0,
    30_000,
  );
  return {
    statusesOf: (id: string) => seen.filter((event) => event.id === id).map((event) => event.status),
    close: async () => {
      unsubscribe();
      await client.dispose();
    },
  };
}

/**
 * A job as a worker that died leaves it: created while moderation is down, waiting in MODERATING,
 * then taken out of its queue between two moderation attempts (nothing runs it any more). Moderation
 * answers again afterwards.
 */
async function strandedJob(api: TestApp, fake: FakeMediaOpenAI, token: string, kind: 'image' | 'video', prompt: string): Promise<string> {
  const mutation = kind === 'image' ? 'createImageJob' : 'createVideoJob';
  fake.moderationDown = true;
  try {
    const created = await gql<Record<string, JobView>>(api.url, `mutation { ${mutation}(input: { prompt: "${prompt}" }) { id } }`, {}, token);
    const id = dataOf(created)[mutation]!.id;
    await eventually(() => job(api, id, token), (view) => view.status === 'MODERATING', 15_000);
    const queue = api.app.get<Queue>(getQueueToken(kind === 'image' ? QUEUES.mediaImage : QUEUES.mediaVideo));
    expect(await eventually(() => queue.remove(id), (removed) => removed === 1, 15_000)).toBe(1);
    return id;
  } finally {
    fake.moderationDown = false;
  }
}

/** Signed links are absolute on APP_URL; the test app listens on a port of its own. */
function local(api: TestApp, url: string): string {
  const parsed = new URL(url);
  return `${api.url}${parsed.pathname}${parsed.search}`;
}

async function account(api: TestApp, userId: string) {
  const state = await api.app.get(LedgerService).balance(userId);
  return { balance: state.balance.toString(), reserved: state.reserved.toString() };
}

/**
 * The account once it shows `expected`: a job's final status is written a moment before its hold is
 * settled, so the figures are waited for, not read once.
 */
async function accountReaches(api: TestApp, userId: string, expected: { balance: string; reserved: string }) {
  return eventually(() => account(api, userId), (state) => state.balance === expected.balance && state.reserved === expected.reserved);
}

async function ledgerProblems(api: TestApp): Promise<string[]> {
  return (await verifyLedger(api.app.get(DataSource))).problems;
}

const mediaEnv = (fake: FakeMediaOpenAI, storageDir: string, extra: Record<string, string> = {}) => ({
  ...fake.env(),
  MEDIA_STORAGE_DIR: storageDir,
  MEDIA_POLL_INTERVAL_MS: '50',
  MEDIA_RETRY_BASE_MS: '50',
  MEDIA_VIDEO_CONCURRENCY: '8',
  ...extra,
});

describe('media jobs', () => {
  let api: TestApp;
  let fake: FakeMediaOpenAI;
  let storageDir: string;

  beforeAll(async () => {
    fake = await new FakeMediaOpenAI().start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-'));
    api = await startTestApp(mediaEnv(fake, storageDir));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await fake?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('generates an image through GraphQL and one through the official openai SDK: 50 credits each, files for the owner only', async () => {
    const user = await mediaUser(api, 100);
    const created = await gql<{ createImageJob: JobView }>(
      api.url,
      `mutation ($input: CreateImageJobInput!) { createImageJob(input: $input) { ${JOB_FIELDS} } }`,
      { input: { prompt: 'a lighthouse at dawn', size: '1024x1024' } },
      user.accessToken,
    );
    const { id, credits } = dataOf(created).createImageJob;
    expect(credits).toBe(50);
    const done = await finished(api, id, user.accessToken);
    expect(done).toMatchObject({ status: 'SUCCEEDED', moderation: { flagged: false, categories: [] }, error: null });
    // Its pixels are read from the file itself (the fake's PNG is 1 × 1, whatever size was asked for).
    expect(done.result).toMatchObject({ contentType: 'image/png', size: FAKE_PNG.length, width: 1, height: 1, durationSeconds: null });
    const download = await fetch(local(api, done.result!.url));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(FAKE_PNG);
    // The REST view of the same job carries the same pixels, in REST's snake_case.
    const rest = await fetch(`${api.url}/api/v1/media/jobs/${id}`, { headers: { authorization: `Bearer ${user.apiKey}` } });
    expect(((await rest.json()) as { data: { result: unknown } }).data.result).toEqual({
      url: expect.stringContaining(`/${id}/`),
      content_type: 'image/png',
      width: 1,
      height: 1,
      duration_seconds: null,
    });

    const sdk = new OpenAI({ apiKey: user.apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
    const image = await sdk.images.generate({ model: 'gpt-image-1', prompt: 'a red bicycle' });
    expect(Buffer.from(image.data![0]!.b64_json!, 'base64')).toEqual(FAKE_PNG);

    expect(await accountReaches(api, user.userId, { balance: '0', reserved: '0' })).toEqual({ balance: '0', reserved: '0' });
    // The moderation endpoint saw both prompts before the images endpoint did.
    expect(fake.calls('/v1/moderations').map((call) => call.body['input'])).toEqual(expect.arrayContaining(['a lighthouse at dawn', 'a red bicycle']));

    const other = await mediaUser(api, 0);
    expect(errorCode(await gql(api.url, `query ($id: ID!) { mediaJob(id: $id) { id } }`, { id }, other.accessToken))).toBe('NOT_FOUND');
    const foreign = await fetch(`${api.url}/api/v1/media/jobs/${id}`, { headers: { authorization: `Bearer ${other.apiKey}` } });
    expect(foreign.status).toBe(404);
    const forged = await fetch(local(api, done.result!.url.replace(/signature=[^&]+/, 'signature=AAAA')));
    expect(forged.status).toBe(404);
    // A third image does not fit the balance: refused before anything is queued.
    const refused = await gql(api.url, `mutation { createImageJob(input: { prompt: "one more" }) { id } }`, {}, user.accessToken);
    expect(errorCode(refused)).toBe('INSUFFICIENT_CREDITS');
    const page = await gql<{ mediaJobs: { items: Array<{ id: string }>; pageInfo: { total: number } } }>(
      api.url,
      `{ mediaJobs(filter: { kind: IMAGE }) { items { id } pageInfo { total } } }`,
      {},
      user.accessToken,
    );
    expect(dataOf(page).mediaJobs.pageInfo.total).toBe(2);
    expect(await ledgerProblems(api)).toEqual([]);
  }, 60_000);

  // Before the tests that make the provider fail: both runs need it answering at once.
  it('keeps the files of the run whose end is recorded when two workers run one image job (a stall), and charges it once', async () => {
    const user = await mediaUser(api, 100);
    const id = await strandedJob(api, fake, user.accessToken, 'image', 'twice');
    // Moved on as the first worker left it: submitted, its generation under way.
    expect(await api.app.get(MediaJobRepository).transition(id, 'submit', 'submitted')).not.toBeNull();
    const runner = api.app.get(MediaJobRunner);
    await Promise.all([runner.step(id), runner.step(id)]);
    expect(fake.calls('/v1/images/generations').filter((call) => call.body['prompt'] === 'twice')).toHaveLength(2);
    const row = await api.app.get(MediaJobRepository).find(id);
    expect(row?.status).toBe('succeeded');
    // Only the recorded run's file is left of this job, whole.
    const files = readdirSync(join(storageDir, user.userId)).filter((name) => name.startsWith(id));
    expect(files.map((name) => `${user.userId}/${name}`)).toEqual(row!.results.map((file) => file.key));
    expect(readFileSync(join(storageDir, row!.results[0]!.key))).toEqual(FAKE_PNG);
    expect(await accountReaches(api, user.userId, { balance: '50', reserved: '0' })).toEqual({ balance: '50', reserved: '0' });
    expect(await ledgerProblems(api)).toEqual([]);
  }, 60_000);

  it('runs a Sora 2 video for a tool holding a VERIFIED code: mediaJobUpdated reports each status, 30 credits charged once, the video downloads', async () => {
    const session = await mediaUser(api, 100);
    const user = (await api.app.get(UserRepository).findById(session.userId))!;
    const { code } = await api.app.get(VerifiedSessions).issue(user, `gpt-${user.id}`);
    const watch = await watchJobs(api, session.accessToken);
    try {
      const started = await fetch(`${api.url}/api/sora2/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${code}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'waves on a beach', duration: 8, resolution: '1280x720' }),
      });
      expect(started.status).toBe(202);
      const { data } = (await started.json()) as { data: { id: string; credits: number } };
      expect(data.credits).toBe(30);
      const followed = await eventually(
        async () => (await (await fetch(`${api.url}/api/v1/media/jobs/${data.id}`, { headers: { authorization: `Bearer ${code}` } })).json()) as {
          data: { status: string; result: { url: string; content_type: string; width: number | null; height: number | null; duration_seconds: number | null } | null };
        },
        (body) => body.data.status === 'succeeded' || body.data.status === 'failed',
        30_000,
      );
      expect(followed.data.status).toBe('succeeded');
      // The length the provider reported for the 8 s asked for; a video's pixels are not read.
      expect(followed.data.result).toMatchObject({ content_type: 'video/mp4', width: null, height: null, duration_seconds: 8 });
      const statuses = await eventually(async () => watch.statusesOf(data.id), (seen) => seen.includes('SUCCEEDED'));
      expect(statuses).toEqual(['QUEUED', 'MODERATING', 'SUBMITTED', 'RUNNING', 'SUCCEEDED']);
      const video = await fetch(local(api, followed.data.result!.url));
      expect(video.headers.get('content-type')).toBe('video/mp4');
      expect(Buffer.from(await video.arrayBuffer())).toEqual(FAKE_MP4);
      expect(await accountReaches(api, user.id, { balance: '70', reserved: '0' })).toEqual({ balance: '70', reserved: '0' });
      const created = fake.calls('/v1/videos').find((call) => call.body['prompt'] === 'waves on a beach');
      // The SDK sends multipart; the fields arrive as the protocol names them.
      expect(created).toMatchObject({ contentType: expect.stringContaining('multipart/form-data'), body: { model: 'sora-2', seconds: '8', size: '1280x720' } });
      // Outbox: the success event, ids only.
      const events = (await api.app.get(DataSource).query(`SELECT type, payload FROM outbox_event WHERE payload->>'jobId' = $1`, [data.id])) as Array<{
        type: string;
        payload: Record<string, unknown>;
      }>;
      expect(events).toEqual([{ type: 'media.job.succeeded', payload: expect.objectContaining({ jobId: data.id, userId: user.id, credits: 30 }) }]);
      expect(events[0]!.payload).not.toHaveProperty('prompt');
      // The code works for the media job endpoints only, not for the rest of the API.
      const elsewhere = await gql(api.url, '{ mediaJobs { pageInfo { total } } }', {}, code);
      expect(errorCode(elsewhere)).toBe('UNAUTHENTICATED');
    } finally {
      await watch.close();
    }
  }, 60_000);

  it('serves the official SDK’s videos resource: create → retrieve → downloadContent', async () => {
    const user = await mediaUser(api, 100);
    const sdk = new OpenAI({ apiKey: user.apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
    const created = await sdk.videos.create({ model: 'sora-2', prompt: 'a paper boat', seconds: '4' });
    expect(created).toMatchObject({ object: 'video', status: 'queued', model: 'sora-2' });
    const done = await eventually(() => sdk.videos.retrieve(created.id), (video) => video.status === 'completed' || video.status === 'failed', 30_000);
    expect(done.status).toBe('completed');
    const content = await sdk.videos.downloadContent(created.id);
    expect(Buffer.from(await content.arrayBuffer())).toEqual(FAKE_MP4);
    // The length the provider reported (its `seconds`), no pixels: a video's bytes are not read.
    expect((await job(api, created.id, user.accessToken)).result).toMatchObject({ contentType: 'video/mp4', width: null, height: null, durationSeconds: 4 });
    const other = await mediaUser(api, 0);
    const stranger = new OpenAI({ apiKey: other.apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
    await expect(stranger.videos.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    expect(await accountReaches(api, user.userId, { balance: '70', reserved: '0' })).toEqual({ balance: '70', reserved: '0' });
  }, 60_000);

  it('lets admins change a model’s price for jobs created afterwards, and nobody else', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const user = await mediaUser(api, 100);
    const update = (token: string, price: string) =>
      gql<{ updateMediaModel: { id: string; price: number; unit: string } }>(
        api.url,
        'mutation ($input: UpdateMediaModelInput!) { updateMediaModel(input: $input) { id price unit } }',
        { input: { id: 'sora-2-pro', price } },
        token,
      );
    expect(errorCode(await update(user.accessToken, '1'))).toBe('FORBIDDEN');
    expect(dataOf(await update(admin.accessToken, '120')).updateMediaModel).toEqual({ id: 'sora-2-pro', price: 120, unit: 'minute' });
    try {
      // 120 credits a minute, 30 seconds: 60.
      const created = await gql<{ createVideoJob: JobView }>(
        api.url,
        'mutation { createVideoJob(input: { prompt: "a slow pan", model: "sora-2-pro", seconds: 30 }) { id credits } }',
        {},
        user.accessToken,
      );
      expect(dataOf(created).createVideoJob.credits).toBe(60);
      // An older SDK's JSON body for POST /v1/videos (recent ones send multipart).
      const json = await fetch(`${api.url}/v1/videos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sora-2', prompt: 'a JSON clip', seconds: '4' }),
      });
      expect(json.status).toBe(200);
      expect(await json.json()).toMatchObject({ object: 'video', status: 'queued', seconds: '4' });
      const models = dataOf(await gql<{ mediaModels: Array<{ id: string; price: number }> }>(api.url, '{ mediaModels { id price } }', {}, user.accessToken)).mediaModels;
      expect(models).toEqual(expect.arrayContaining([{ id: 'gpt-image-1', price: 50 }, { id: 'sora-2', price: 30 }, { id: 'sora-2-pro', price: 120 }]));
    } finally {
      await update(admin.accessToken, '200');
    }
  }, 60_000);

  it('releases the hold when the provider fails, when moderation rejects the prompt, and when a waiting job is cancelled', async () => {
    const user = await mediaUser(api, 100);
    const create = (prompt: string) =>
      gql<{ createVideoJob: JobView }>(api.url, `mutation ($p: String!) { createVideoJob(input: { prompt: $p, seconds: 4 }) { id } }`, { p: prompt }, user.accessToken);

    const failing = dataOf(await create('PROVIDER_FAIL a storm')).createVideoJob.id;
    expect(await finished(api, failing, user.accessToken)).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_ERROR' } });
    // Outbox: the failure event carries its code under the name the webhook event gives it.
    const failedEvents = (await api.app.get(DataSource).query(`SELECT type, payload FROM outbox_event WHERE payload->>'jobId' = $1`, [failing])) as Array<{
      type: string;
      payload: Record<string, unknown>;
    }>;
    expect(failedEvents).toEqual([{ type: 'media.job.failed', payload: expect.objectContaining({ jobId: failing, kind: 'video', errorCode: 'PROVIDER_ERROR' }) }]);

    const rejected = dataOf(await create('FLAGGED a fight')).createVideoJob.id;
    const rejectedView = await finished(api, rejected, user.accessToken);
    expect(rejectedView).toMatchObject({ status: 'FAILED', error: { code: 'CONTENT_REJECTED', details: { categories: ['violence', 'violence/graphic'] } } });
    expect(fake.calls('/v1/videos').some((call) => String(call.body['prompt']).includes('FLAGGED'))).toBe(false);

    // Moderation down: the job waits in MODERATING (never generated unchecked) and can be cancelled there.
    fake.moderationDown = true;
    try {
      const waiting = dataOf(await create('a quiet lake')).createVideoJob.id;
      await eventually(() => job(api, waiting, user.accessToken), (view) => view.status === 'MODERATING', 15_000);
      const cancelled = await gql<{ cancelMediaJob: JobView }>(api.url, `mutation ($id: ID!) { cancelMediaJob(id: $id) { status } }`, { id: waiting }, user.accessToken);
      expect(dataOf(cancelled).cancelMediaJob.status).toBe('CANCELLED');
      expect(fake.calls('/v1/videos').some((call) => call.body['prompt'] === 'a quiet lake')).toBe(false);
    } finally {
      fake.moderationDown = false;
    }
    const again = await gql(api.url, `mutation ($id: ID!) { cancelMediaJob(id: $id) { status } }`, { id: failing }, user.accessToken);
    expect(errorCode(again)).toBe('CONFLICT');

    expect(await accountReaches(api, user.userId, { balance: '100', reserved: '0' })).toEqual({ balance: '100', reserved: '0' });
    expect(await ledgerProblems(api)).toEqual([]);
  }, 60_000);

  it('cancels a job still QUEUED (no worker has taken it): hold released, and the worker that takes it up later calls no provider', async () => {
    const user = await mediaUser(api, 100);
    const queue = api.app.get<Queue>(getQueueToken(QUEUES.mediaVideo));
    // Paused, the queue hands nothing to the worker: the job stays waiting in Redis and queued in its row.
    await queue.pause();
    let id: string;
    try {
      id = dataOf(await gql<{ createVideoJob: JobView }>(api.url, 'mutation { createVideoJob(input: { prompt: "a queued kite", seconds: 4 }) { id } }', {}, user.accessToken))
        .createVideoJob.id;
      expect(await eventually(() => queue.getJobState(id), (state) => state === 'waiting')).toBe('waiting');
      expect((await job(api, id, user.accessToken)).status).toBe('QUEUED');
      expect(await account(api, user.userId)).toEqual({ balance: '100', reserved: '30' });
      const cancelled = await gql<{ cancelMediaJob: JobView }>(api.url, `mutation ($id: ID!) { cancelMediaJob(id: $id) { status error { code } } }`, { id }, user.accessToken);
      expect(dataOf(cancelled).cancelMediaJob).toMatchObject({ status: 'CANCELLED', error: { code: 'CANCELLED' } });
      expect(await account(api, user.userId)).toEqual({ balance: '100', reserved: '0' });
    } finally {
      await queue.resume();
    }
    // The queue entry is still there: the worker takes it, sees the job finished, and completes it untouched.
    expect(await eventually(() => queue.getJobState(id), (state) => state === 'completed' || state === 'failed', 15_000)).toBe('completed');
    expect(fake.calls('/v1/moderations').some((call) => call.body['input'] === 'a queued kite')).toBe(false);
    expect(fake.calls('/v1/videos').some((call) => call.body['prompt'] === 'a queued kite')).toBe(false);
    expect(await job(api, id, user.accessToken)).toMatchObject({ status: 'CANCELLED', credits: 30 });
    expect(await account(api, user.userId)).toEqual({ balance: '100', reserved: '0' });
    const hold = (await api.app.get(DataSource).query(`SELECT h.status FROM credit_hold h JOIN media_job j ON j.hold_id = h.id WHERE j.id = $1`, [id])) as Array<{ status: string }>;
    expect(hold).toEqual([{ status: 'released' }]);
    expect(await ledgerProblems(api)).toEqual([]);
  }, 60_000);

  it('retries a rate-limited provider after its Retry-After, and fails the job (hold released) when the attempts run out', async () => {
    const user = await mediaUser(api, 100);
    const create = async (prompt: string) =>
      dataOf(await gql<{ createImageJob: JobView }>(api.url, `mutation ($p: String!) { createImageJob(input: { prompt: $p }) { id } }`, { p: prompt }, user.accessToken))
        .createImageJob.id;

    fake.rateLimit('/v1/images/generations', 1);
    const retried = await finished(api, await create('a windmill'), user.accessToken);
    expect(retried).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });

    fake.rateLimit('/v1/images/generations', 3);
    const exhausted = await finished(api, await create('a harbour'), user.accessToken);
    expect(exhausted).toMatchObject({ status: 'FAILED', attempts: 3, error: { code: 'PROVIDER_ERROR', details: { attempts: 3, status: 429 } } });
    expect(await accountReaches(api, user.userId, { balance: '50', reserved: '0' })).toEqual({ balance: '50', reserved: '0' });
    expect(await ledgerProblems(api)).toEqual([]);
  }, 60_000);

  it('settles, at worker start, a job a crash left finished but unsettled', async () => {
    const user = await mediaUser(api, 100);
    const id = await strandedJob(api, fake, user.accessToken, 'video', 'a crash');
    // No queue job left to settle it, and the cancellation's transition, then the process dies before its ledger call.
    expect(await api.app.get(MediaJobRepository).transition(id, 'cancel', 'cancelled')).not.toBeNull();
    expect(await accountReaches(api, user.userId, { balance: '100', reserved: '30' })).toEqual({ balance: '100', reserved: '30' });
    expect(await api.app.get(MediaRecovery).sweep()).toBeGreaterThanOrEqual(1);
    expect(await accountReaches(api, user.userId, { balance: '100', reserved: '0' })).toEqual({ balance: '100', reserved: '0' });
    expect(await ledgerProblems(api)).toEqual([]);
  }, 60_000);

  it('purges per retention class, in batches: results after MEDIA_RETENTION_DAYS with their files, jobs without one after MEDIA_TEMPORARY_RETENTION_DAYS', async () => {
    // Two images charged, three rejected prompts held until moderation fails them.
    const user = await mediaUser(api, 250);
    const create = async (prompt: string) => {
      const id = dataOf(await gql<{ createImageJob: JobView }>(api.url, `mutation ($p: String!) { createImageJob(input: { prompt: $p }) { id } }`, { p: prompt }, user.accessToken))
        .createImageJob.id;
      await finished(api, id, user.accessToken);
      return id;
    };
    const yearOld = await create('an old photo');
    const monthOld = await create('a month-old photo');
    const rejected = [await create('FLAGGED one'), await create('FLAGGED two'), await create('FLAGGED three')];
    // Only settled jobs are purged: wait for the last hold to be released.
    expect(await accountReaches(api, user.userId, { balance: '150', reserved: '0' })).toEqual({ balance: '150', reserved: '0' });
    const db = api.app.get(DataSource);
    const [row] = (await db.query(`SELECT results FROM media_job WHERE id = $1`, [yearOld])) as Array<{ results: Array<{ key: string }> }>;
    const file = join(storageDir, row!.results[0]!.key);
    expect(existsSync(file)).toBe(true);
    // The cutoffs are driven by the rows' own times, as if they had finished that long ago.
    const finishedAgo = (id: string, days: number) =>
      db.query(`UPDATE media_job SET finished_at = now() - make_interval(days => $2), created_at = now() - make_interval(days => $2) WHERE id = $1`, [id, days]);
    await finishedAgo(yearOld, 366);
    await finishedAgo(monthOld, 31);
    await finishedAgo(rejected[0]!, 31);
    await finishedAgo(rejected[1]!, 31);
    await finishedAgo(rejected[2]!, 29);

    // A batch of one: the purge goes on until a batch comes back short, not one batch a run.
    const deleted = await api.app.get(RetentionPurges).runAll(new Date(), 1);
    expect(deleted['mediaJobs']).toBe(3);
    expect(existsSync(file)).toBe(false);
    for (const id of [yearOld, rejected[0]!, rejected[1]!]) {
      expect(errorCode(await gql(api.url, `query ($id: ID!) { mediaJob(id: $id) { id } }`, { id }, user.accessToken))).toBe('NOT_FOUND');
    }
    expect((await job(api, monthOld, user.accessToken)).status).toBe('SUCCEEDED');
    expect((await job(api, rejected[2]!, user.accessToken)).status).toBe('FAILED');
    expect((await api.app.get(RetentionPurges).runAll(new Date(), 1))['mediaJobs']).toBe(0);
  }, 60_000);

  it('accepts exactly the 40 of 100 concurrent video jobs the balance covers; the others are refused 402 with nothing queued', async () => {
    const user = await mediaUser(api, 40 * 30);
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${api.url}/api/sora2/generate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: `clip ${i}`, duration: 4 }),
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(40);
    expect(statuses.filter((status) => status === 402)).toHaveLength(60);
    const refused = (await responses.find((response) => response.status === 402)!.json()) as { error: { code: string } };
    expect(refused.error.code).toBe('INSUFFICIENT_CREDITS');
    const total = async () =>
      dataOf(await gql<{ mediaJobs: { pageInfo: { total: number } } }>(api.url, `{ mediaJobs(filter: { status: SUCCEEDED }) { pageInfo { total } } }`, {}, user.accessToken))
        .mediaJobs.pageInfo.total;
    expect(await eventually(total, (count) => count === 40, 90_000)).toBe(40);
    expect(await accountReaches(api, user.userId, { balance: '0', reserved: '0' })).toEqual({ balance: '0', reserved: '0' });
    expect(await ledgerProblems(api)).toEqual([]);
  }, 120_000);

  it('goes on running jobs when a migration adds a column to their table while the API runs (its prepared statements)', async () => {
    const user = await mediaUser(api, 20 * 50);
    const images = (count: number, prompt: string) =>
      Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const created = await gql<{ createImageJob: JobView }>(api.url, `mutation { createImageJob(input: { prompt: "${prompt} ${i}" }) { id } }`, {}, user.accessToken);
          return (await finished(api, dataOf(created).createImageJob.id, user.accessToken)).status;
        }),
      );
    // Ten at once: every statement of a job's way is prepared on the pool's connections.
    expect(new Set(await images(10, 'before'))).toEqual(new Set(['SUCCEEDED']));
    const db = api.app.get(DataSource);
    await db.query('ALTER TABLE media_job ADD COLUMN added_while_running integer');
    try {
      expect(new Set(await images(10, 'after'))).toEqual(new Set(['SUCCEEDED']));
    } finally {
      await db.query('ALTER TABLE media_job DROP COLUMN added_while_running');
    }
    expect(await accountReaches(api, user.userId, { balance: '0', reserved: '0' })).toEqual({ balance: '0', reserved: '0' });
  }, 90_000);
});

describe('media jobs past their deadline', () => {
  let api: TestApp;
  let fake: FakeMediaOpenAI;
  let storageDir: string;

  beforeAll(async () => {
    fake = await new FakeMediaOpenAI().start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-'));
    api = await startTestApp(mediaEnv(fake, storageDir, { MEDIA_VIDEO_DEADLINE_SECONDS: '2' }));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await fake?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('expires a job the provider has not finished (hold released), then charges it when the provider succeeds after all', async () => {
    const user = await mediaUser(api, 100);
    fake.videoMinMs = 4_000;
    const created = await gql<{ createVideoJob: JobView }>(api.url, `mutation { createVideoJob(input: { prompt: "slow sunset", seconds: 4 }) { id } }`, {}, user.accessToken);
    const id = dataOf(created).createVideoJob.id;
    const expired = await eventually(() => job(api, id, user.accessToken), (view) => FINISHED.includes(view.status), 20_000);
    expect(expired).toMatchObject({ status: 'EXPIRED', error: { code: 'DEADLINE_EXCEEDED' } });
    expect(await accountReaches(api, user.userId, { balance: '100', reserved: '0' })).toEqual({ balance: '100', reserved: '0' });
    expect(await ledgerProblems(api)).toEqual([]);

    const late = await eventually(() => job(api, id, user.accessToken), (view) => view.status === 'SUCCEEDED', 20_000);
    expect(late.result).toMatchObject({ contentType: 'video/mp4', size: FAKE_MP4.length });
    expect(await accountReaches(api, user.userId, { balance: '70', reserved: '0' })).toEqual({ balance: '70', reserved: '0' });
    expect(await ledgerProblems(api)).toEqual([]);
  }, 60_000);
});

describe('media video at a vendor of its own (OPENAI_VIDEO_BASE_URL, OPENAI_VIDEO_API_KEY)', () => {
  let api: TestApp;
  let openai: FakeMediaOpenAI;
  let videoVendor: FakeMediaOpenAI;
  let storageDir: string;

  beforeAll(async () => {
    openai = await new FakeMediaOpenAI().start();
    videoVendor = await new FakeMediaOpenAI('sk-video-vendor').start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-'));
    api = await startTestApp(mediaEnv(openai, storageDir, { OPENAI_VIDEO_BASE_URL: videoVendor.url, OPENAI_VIDEO_API_KEY: videoVendor.apiKey }));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await openai?.stop();
    await videoVendor?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('makes videos at the video vendor with its key, images and moderation at OPENAI_BASE_URL with the OpenAI key', async () => {
    const user = await mediaUser(api, 100);
    const video = dataOf(await gql<{ createVideoJob: JobView }>(api.url, 'mutation { createVideoJob(input: { prompt: "a vendor clip", seconds: 4 }) { id } }', {}, user.accessToken))
      .createVideoJob.id;
    const image = dataOf(await gql<{ createImageJob: JobView }>(api.url, 'mutation { createImageJob(input: { prompt: "a vendor still" }) { id } }', {}, user.accessToken))
      .createImageJob.id;
    expect(await finished(api, video, user.accessToken)).toMatchObject({ status: 'SUCCEEDED', result: { contentType: 'video/mp4', size: FAKE_MP4.length } });
    expect(await finished(api, image, user.accessToken)).toMatchObject({ status: 'SUCCEEDED', result: { contentType: 'image/png' } });

    const paths = (fake: FakeMediaOpenAI) => [...new Set(fake.requests.map((request) => request.path.replace(/video_\w+/, ':id')))].sort();
    expect(paths(videoVendor)).toEqual(['/v1/videos', '/v1/videos/:id', '/v1/videos/:id/content']);
    expect(paths(openai)).toEqual(['/v1/images/generations', '/v1/moderations']);
    // Each fake answers 401 to any other key, so the jobs' success already says so; this names the keys.
    expect(new Set(videoVendor.requests.map((request) => request.apiKey))).toEqual(new Set(['sk-video-vendor']));
    expect(new Set(openai.requests.map((request) => request.apiKey))).toEqual(new Set([FAKE_MEDIA_API_KEY]));
    expect(videoVendor.calls('/v1/videos')).toEqual([expect.objectContaining({ body: expect.objectContaining({ prompt: 'a vendor clip', model: 'sora-2' }) })]);
    expect(await accountReaches(api, user.userId, { balance: '20', reserved: '0' })).toEqual({ balance: '20', reserved: '0' });
  }, 60_000);
});
