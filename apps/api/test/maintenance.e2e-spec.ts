import { getQueueToken } from '@nestjs/bullmq';
import { NestFactory } from '@nestjs/core';
import { IdempotencyRecordEntity, MAINTENANCE_JOBS, QUEUES } from '@sah/infrastructure';
import { Job, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PurgeExpiredRowsHandler } from '../src/maintenance/purge-expired-rows.handler';
import { loadConfig } from '../src/config/environment';
import { createLogger } from '../src/platform/logging/create-logger';
import { WorkerModule } from '../src/worker.module';
import { startTestApp, TestApp, testEnv } from './support/test-app';

/** Seeds one expired and one live idempotency record under a fresh scope; returns the scope. */
async function seed(dataSource: DataSource): Promise<string> {
  const scope = `maintenance-${randomUUID()}`;
  const now = Date.now();
  await dataSource.getRepository(IdempotencyRecordEntity).insert([
    { scope, key: 'expired', requestHash: 'h', createdAt: new Date(now - 120_000), expiresAt: new Date(now - 60_000) },
    { scope, key: 'live', requestHash: 'h', createdAt: new Date(now - 120_000), expiresAt: new Date(now + 3_600_000) },
  ]);
  return scope;
}

const keysLeft = async (dataSource: DataSource, scope: string) =>
  (await dataSource.getRepository(IdempotencyRecordEntity).findBy({ scope })).map((row) => row.key);

/**
 * Waits for a job to end by polling its state: QueueEvents can miss a completion that lands
 * between its connection becoming ready and its first read of the event stream.
 */
async function finished(queue: Queue, job: Job): Promise<unknown> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') {
      const ended = await Job.fromId(queue, String(job.id));
      if (state === 'failed') throw new Error(ended?.failedReason);
      return ended?.returnvalue;
    }
    if (Date.now() > deadline) throw new Error(`job ${job.id} still ${state} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('maintenance queue with WORKERS=inline', () => {
  let api: TestApp;
  let queue: Queue;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startTestApp({ WORKERS: 'inline' });
    queue = api.app.get<Queue>(getQueueToken(QUEUES.maintenance));
    dataSource = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  it('declares the repeatable purge job at start', async () => {
    const scheduler = await queue.getJobScheduler(MAINTENANCE_JOBS.purgeExpiredRows);
    expect(scheduler).toMatchObject({ name: MAINTENANCE_JOBS.purgeExpiredRows, every: 3_600_000 });
  });

  it('purges expired rows in the API process and keeps live ones', async () => {
    const scope = await seed(dataSource);
    const job = await queue.add(MAINTENANCE_JOBS.purgeExpiredRows, { batchSize: 100 });

    const result = await finished(queue, job);

    // The scheduled run may have got to the row first: what matters is what is left.
    expect(result).toEqual({ idempotencyRecords: expect.any(Number), auditLog: expect.any(Number), dataExports: expect.any(Number), aiUsage: expect.any(Number), stripeEvents: expect.any(Number), mediaJobs: expect.any(Number), deletedAccounts: expect.any(Number), overdueSubscriptions: expect.any(Number) });
    expect(await keysLeft(dataSource, scope)).toEqual(['live']);
  });

  it('forgets processed Stripe events after 30 days but keeps parked ones', async () => {
    const id = (label: string) => `evt_${label}_${Math.random().toString(36).slice(2)}`;
    const [old, recent, parked] = [id('old'), id('recent'), id('parked')];
    await dataSource.query(
      `INSERT INTO stripe_event (id, type, status, received_at, processed_at, payment_intent, payload) VALUES
         ($1, 'checkout.session.completed', 'processed', now() - interval '31 days', now() - interval '31 days', NULL, NULL),
         ($2, 'checkout.session.completed', 'processed', now() - interval '29 days', now() - interval '29 days', NULL, NULL),
         ($3, 'charge.refunded', 'parked', now() - interval '40 days', NULL, 'pi_x', '{}')`,
      [old, recent, parked],
    );
    await api.app.get(PurgeExpiredRowsHandler).execute({ batchSize: 1 });
    const left = (await dataSource.query(`SELECT id FROM stripe_event WHERE id = ANY($1) ORDER BY id`, [[old, recent, parked]])) as Array<{ id: string }>;
    expect(left.map((row) => row.id).sort()).toEqual([parked, recent].sort());
  });

  it('listens for the errors of every queue (BullMQ drops unheard connection errors)', () => {
    for (const name of Object.values(QUEUES)) {
      expect(api.app.get<Queue>(getQueueToken(name), { strict: false }).listenerCount('error')).toBeGreaterThan(0);
    }
  });

  it('fails a job with an unknown name instead of ignoring it', async () => {
    const job = await queue.add('no-such-job', {});
    await expect(finished(queue, job)).rejects.toThrow('No handler for maintenance job "no-such-job"');
  });
});

describe('maintenance queue with WORKERS=off', () => {
  it('leaves jobs to the worker process, which runs them', async () => {
    const env = testEnv({ WORKERS: 'off' });
    const api = await startTestApp(env);
    const queue = api.app.get<Queue>(getQueueToken(QUEUES.maintenance));
    const dataSource = api.app.get(DataSource);
    try {
      const scope = await seed(dataSource);
      const job = await queue.add(MAINTENANCE_JOBS.purgeExpiredRows, { batchSize: 100 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await job.getState()).toBe('waiting');
      expect(await queue.getJobScheduler(MAINTENANCE_JOBS.purgeExpiredRows)).toBeUndefined();

      const config = loadConfig(env);
      const worker = await NestFactory.createApplicationContext(WorkerModule.register(config, createLogger('silent', 'worker')), {
        abortOnError: false,
      });
      await worker.init();
      try {
        // Every context's purge runs in the worker too, though it serves no AI traffic.
        expect(await finished(queue, job)).toEqual({ idempotencyRecords: expect.any(Number), auditLog: expect.any(Number), dataExports: expect.any(Number), aiUsage: expect.any(Number), stripeEvents: expect.any(Number), mediaJobs: expect.any(Number), deletedAccounts: expect.any(Number), overdueSubscriptions: expect.any(Number) });
        expect(await keysLeft(dataSource, scope)).toEqual(['live']);
      } finally {
        await worker.close();
      }
    } finally {
      await api.close();
    }
  });
});
