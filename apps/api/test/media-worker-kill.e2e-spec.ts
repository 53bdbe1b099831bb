import { verifyLedger } from '@sah/infrastructure';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { assertBuilt, BUILT_MAIN, RunningProcess, startProcess } from './support/api-process';
import { fund } from './support/billing-fixtures';
import { FakeMediaOpenAI } from './support/fake-media-openai';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const BUILT_WORKER = BUILT_MAIN.replace(/main\.js$/, 'worker.main.js');
// The balance covers ACCEPTED of the REQUESTS video jobs created at once.
const REQUESTS = 100;
const ACCEPTED = 40;

/**
 * The production split (API with WORKERS=off, `npm run start:worker`): 100 video jobs created at once
 * by a user whose balance covers 40, then the worker killed by SIGKILL while it is polling videos: a
 * second worker picks up every accepted job (stalled ones included) and each ends once, charged once.
 */
describe('media: a worker killed mid-run', () => {
  let api: TestApp;
  let fake: FakeMediaOpenAI;
  let storageDir: string;
  const workers: RunningProcess[] = [];

  const startWorker = async () => {
    const worker = startProcess([BUILT_WORKER], {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: api.config.database.url,
      REDIS_URL: api.config.redis.url,
      REDIS_KEY_PREFIX: api.config.redis.keyPrefix,
      DATABASE_POOL_MAX: '4',
      OUTBOX_POLL_MS: '50',
      MEDIA_STORAGE_DIR: storageDir,
      MEDIA_POLL_INTERVAL_MS: '100',
      MEDIA_RETRY_BASE_MS: '100',
      MEDIA_VIDEO_CONCURRENCY: '8',
      ...fake.env(),
    });
    workers.push(worker);
    await worker.waitFor(/worker ready/, 60_000);
    return worker;
  };

  beforeAll(async () => {
    assertBuilt();
    fake = await new FakeMediaOpenAI().start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-kill-'));
    api = await startTestApp({ ...fake.env(), WORKERS: 'off', MEDIA_STORAGE_DIR: storageDir });
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await api?.close();
    await fake?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('accepts the 40 of 100 concurrent video jobs the balance covers, then finishes each exactly once after a SIGKILL, charges equal to the succeeded jobs', async () => {
    fake.pollsToComplete = 8;
    fake.retrieveDelayMs = 300;
    const user = await createSignedInUser(api);
    await fund(api, user.userId, ACCEPTED * 30);
    const key = await gql<{ createApiKey: { secret: string } }>(
      api.url,
      'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: 'media', scopes: ['media.create'] } },
      user.accessToken,
    );
    const apiKey = dataOf(key).createApiKey.secret;
    // All at once, no worker running yet: the holds alone decide who is accepted.
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        fetch(`${api.url}/api/sora2/generate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: `clip ${i}`, duration: 4 }),
        }),
      ),
    );
    const accepted = responses.filter((response) => response.status === 202);
    expect(accepted).toHaveLength(ACCEPTED);
    expect(responses.filter((response) => response.status === 402)).toHaveLength(REQUESTS - ACCEPTED);
    const refused = (await responses.find((response) => response.status === 402)!.json()) as { error: { code: string } };
    expect(refused.error.code).toBe('INSUFFICIENT_CREDITS');
    const ids = await Promise.all(accepted.map(async (response) => ((await response.json()) as { data: { id: string } }).data.id));
    const db = api.app.get(DataSource);
    // Settled or not: a job the kill caught between its last transition and its settlement is settled
    // when BullMQ hands the stalled job to the second worker (after the lock of the first lapses).
    const statuses = async () =>
      (await db.query(
        `SELECT status || CASE WHEN finished_at IS NOT NULL AND settled_at IS NULL THEN ' unsettled' ELSE '' END AS status, count(*)::int AS n
           FROM media_job WHERE user_id = $1 GROUP BY 1`,
        [user.userId],
      )) as Array<{ status: string; n: number }>;
    const count = (rows: Array<{ status: string; n: number }>, status: string) => rows.find((row) => row.status === status)?.n ?? 0;

    // The refused requests left nothing behind: the user's jobs are the accepted ones.
    const created = (await db.query(`SELECT id FROM media_job WHERE user_id = $1`, [user.userId])) as Array<{ id: string }>;
    expect(created.map((row) => row.id).sort()).toEqual([...ids].sort());

    const first = await startWorker();
    // Mid-run: several videos submitted and being polled, none finished yet.
    const midRun = await eventually(statuses, (found) => count(found, 'running') >= 4, 60_000);
    expect(count(midRun, 'running')).toBeGreaterThanOrEqual(4);
    first.child.kill('SIGKILL');
    await first.exited;

    await startWorker();
    const end = await eventually(statuses, (found) => count(found, 'succeeded') === ACCEPTED, 200_000);
    expect(end).toEqual([{ status: 'succeeded', n: ACCEPTED }]);

    // Each job captured once: one usage transaction per job, and the balance says the same.
    const captured = (await db.query(
      `SELECT h.metadata->>'mediaJobId' AS job, h.status, h.captured FROM credit_hold h WHERE h.metadata->>'mediaJobId' = ANY($1)`,
      [ids],
    )) as Array<{ job: string; status: string; captured: string }>;
    expect(captured.map((hold) => [hold.status, String(hold.captured)])).toEqual(ids.map(() => ['captured', '30000']));
    const state = await api.app.get(LedgerService).balance(user.userId);
    expect({ balance: state.balance.toString(), reserved: state.reserved.toString() }).toEqual({ balance: '0', reserved: '0' });
    expect((await verifyLedger(db)).problems).toEqual([]);
  }, 240_000);
});
