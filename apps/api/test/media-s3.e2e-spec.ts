import { createHash } from 'node:crypto';
import { RetentionPurges } from '../src/maintenance/retention-purges';
import { DataSource } from 'typeorm';
import { fund } from './support/billing-fixtures';
import { FakeMediaOpenAI, FAKE_MP4, FAKE_PNG } from './support/fake-media-openai';
import { FakeMediaS3 } from './support/fake-media-s3';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

/** With MEDIA_S3_* set, results go to the bucket (official SDK against an S3-speaking fake). */
describe('media: S3-compatible storage', () => {
  let api: TestApp;
  let fake: FakeMediaOpenAI;
  let s3: FakeMediaS3;

  beforeAll(async () => {
    fake = await new FakeMediaOpenAI().start();
    s3 = await new FakeMediaS3().start();
    api = await startTestApp({ ...fake.env(), ...s3.env(), MEDIA_POLL_INTERVAL_MS: '50', MEDIA_RETRY_BASE_MS: '50' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await fake?.stop();
    await s3?.stop();
  });

  it('stores an image and a video in the bucket, serves them by signed link, and purges them with their jobs', async () => {
    const user = await createSignedInUser(api);
    await fund(api, user.userId, 100);
    const create = async (mutation: string) => {
      const created = await gql<Record<string, { id: string }>>(api.url, mutation, {}, user.accessToken);
      return Object.values(dataOf(created))[0]!.id;
    };
    const imageId = await create('mutation { createImageJob(input: { prompt: "a bucket of paint" }) { id } }');
    const videoId = await create('mutation { createVideoJob(input: { prompt: "paint drying", seconds: 4 }) { id } }');
    const view = (id: string) =>
      gql<{ mediaJob: { status: string; result: { url: string; sha256: string; size: number } | null } }>(
        api.url,
        'query ($id: ID!) { mediaJob(id: $id) { status result { url sha256 size } } }',
        { id },
        user.accessToken,
      ).then((result) => dataOf(result).mediaJob);
    for (const [id, bytes] of [
      [imageId, FAKE_PNG],
      [videoId, FAKE_MP4],
    ] as const) {
      const done = await eventually(() => view(id), (job) => job.status === 'SUCCEEDED' || job.status === 'FAILED', 30_000);
      expect(done).toMatchObject({ status: 'SUCCEEDED', result: { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } });
      const key = [...s3.objects.keys()].find((k) => k.includes(id));
      expect(s3.objects.get(key!)?.body).toEqual(bytes);
      const link = new URL(done.result!.url);
      const served = await fetch(`${api.url}${link.pathname}${link.search}`);
      expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
    }

    await api.app.get(DataSource).query(`UPDATE media_job SET finished_at = now() - interval '400 days' WHERE user_id = $1`, [user.userId]);
    const purged = await api.app.get(RetentionPurges).runAll(new Date(), 1000);
    expect(purged['mediaJobs']).toBe(2);
    expect([...s3.objects.keys()].filter((key) => key.includes(imageId) || key.includes(videoId))).toEqual([]);
  }, 60_000);
});
