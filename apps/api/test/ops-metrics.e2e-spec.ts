import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES } from '@sah/infrastructure';
import type { Queue } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { createAiUser } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeFal } from './support/fake-fal';
import { FakeOpenAI } from './support/fake-openai';
import { FakeStripe } from './support/fake-stripe';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser, PASSWORD, signIn, uniqueEmail } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/** `name{a="x",b="y"} value` lines of the Prometheus text format, keyed by name and sorted labels. */
type Scrape = Map<string, number>;
const key = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

function parse(text: string): Scrape {
  const series: Scrape = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    series.set(key(match[1] as string, labels as Record<string, string>), Number(match[3]));
  }
  return series;
}

/** All series of one metric, as label sets with values. */
const family = (scrape: Scrape, name: string) => [...scrape].filter(([k]) => k.startsWith(`${name}{`));

const CHECKOUT = 'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId paymentId } }';

/**
 * A scripted session (sign-up, sign-in, a Stripe purchase, AI calls that succeed and fail, a queued
 * job) and then one scrape of /metrics, whose business series must equal what the database holds.
 */
describe('metrics: business series on /metrics match the database', () => {
  const stripe = new FakeStripe();
  const upstream = new FakeOpenAI();
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    await Promise.all([stripe.start(), upstream.start()]);
    // No workers: the job queued below stays waiting, so its queue's backlog is known exactly.
    api = await startTestApp({ ...stripe.env(), ...upstream.env(), WORKERS: 'off', AI_CIRCUIT_FAILURES: '1000' });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([stripe.stop(), upstream.stop()]);
  });

  const scrape = async () => {
    const response = await fetch(`${api.url}/metrics`);
    expect(response.status).toBe(200);
    return parse(await response.text());
  };

  it('after sign-up, a purchase, AI calls and a queued job', async () => {
    // Sign-up and sign-ins (each sign-in is a session).
    const email = uniqueEmail('metrics');
    const registered = await gql(api.url, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', {
      input: { email, password: PASSWORD, name: 'Metrics User' },
    });
    expect(registered.errors).toBeUndefined();
    const buyer = await createSignedInUser(api);
    await signIn(api, buyer.email);

    // A Starter purchase (100 credits for $10) through Stripe's checkout and webhook.
    const started = dataOf(
      await gql<{ createCheckoutSession: { sessionId: string } }>(
        api.url,
        CHECKOUT,
        { input: { package: 'starter', successUrl: 'https://hub.test/ok', cancelUrl: 'https://hub.test/no' } },
        buyer.accessToken,
      ),
    ).createCheckoutSession;
    const payload = stripe.event('checkout.session.completed', stripe.completedSession(started.sessionId));
    expect(await FakeStripe.deliver(api.url, payload)).toBe(200);

    // Two AI calls that succeed (one streamed) and one the provider refuses.
    const caller = await createAiUser(api);
    await fund(api, caller.userId, 50);
    const openai = new OpenAI({ apiKey: caller.apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
    upstream.reply({ text: 'fine', usage: { input: 120, output: 30 } });
    await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) void chunk;
    upstream.failNext(1, { status: 400, message: 'bad request' });
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();

    // A mail job queued two minutes ago, never picked up (no workers).
    const mail = api.app.get<Queue>(getQueueToken(QUEUES.mail));
    await mail.add('metrics-probe', {}, { timestamp: Date.now() - 120_000 });

    const metrics = await scrape();

    // Ledger: per type and direction, the credits and the number of transactions.
    const ledger = (await db.query(`SELECT type, amount::text AS amount FROM ledger_transaction`)) as Array<{ type: string; amount: string }>;
    const expectedCredits = new Map<string, number>();
    const expectedCounts = new Map<string, number>();
    for (const row of ledger) {
      const labels = { type: row.type, direction: BigInt(row.amount) > 0n ? 'credit' : 'debit' };
      const millis = BigInt(row.amount) < 0n ? -BigInt(row.amount) : BigInt(row.amount);
      expectedCredits.set(key('sah_ledger_credits', labels), (expectedCredits.get(key('sah_ledger_credits', labels)) ?? 0) + Number(millis) / 1000);
      expectedCounts.set(key('sah_ledger_transactions', labels), (expectedCounts.get(key('sah_ledger_transactions', labels)) ?? 0) + 1);
    }
    expect(new Map(family(metrics, 'sah_ledger_credits'))).toEqual(expectedCredits);
    expect(new Map(family(metrics, 'sah_ledger_transactions'))).toEqual(expectedCounts);
    // The scripted purchase and AI spending are among them.
    expect(metrics.get(key('sah_ledger_credits', { type: 'purchase', direction: 'credit' }))).toBe(100);
    expect(metrics.get(key('sah_ledger_transactions', { type: 'usage', direction: 'debit' }))).toBe(2);

    // Payments by status.
    const payments = (await db.query(`SELECT status, currency, amount_cents FROM payment`)) as Array<{ status: string; currency: string; amount_cents: number }>;
    expect(payments).toContainEqual({ status: 'paid', currency: 'usd', amount_cents: 1000 });
    for (const { status, currency } of payments) {
      const same = payments.filter((p) => p.status === status && p.currency === currency);
      expect(metrics.get(key('sah_payments', { status, currency }))).toBe(same.length);
      expect(metrics.get(key('sah_payments_amount', { status, currency }))).toBeCloseTo(same.reduce((sum, p) => sum + p.amount_cents, 0) / 100, 6);
    }
    expect(family(metrics, 'sah_payments')).toHaveLength(new Set(payments.map((p) => `${p.status}/${p.currency}`)).size);

    // Sessions: every unexpired refresh token not yet rotated or revoked.
    const tokens = (await db.query(`SELECT expires_at, rotated_at, revoked_at FROM identity_refresh_token`)) as Array<{
      expires_at: Date;
      rotated_at: Date | null;
      revoked_at: Date | null;
    }>;
    const active = tokens.filter((t) => !t.rotated_at && !t.revoked_at && t.expires_at.getTime() > Date.now()).length;
    expect(active).toBeGreaterThanOrEqual(3);
    expect(metrics.get(key('sah_active_sessions'))).toBe(active);

    // Media jobs and webhook deliveries by state, as their tables hold them (none in this session: no series).
    const mediaJobs = (await db.query(`SELECT kind, status FROM media_job`)) as Array<{ kind: string; status: string }>;
    const deliveries = (await db.query(`SELECT status FROM webhook_delivery`)) as Array<{ status: string }>;
    const countBy = <T>(rows: T[], series: (row: T) => string) => rows.reduce((map, row) => map.set(series(row), (map.get(series(row)) ?? 0) + 1), new Map<string, number>());
    expect(new Map(family(metrics, 'sah_media_jobs'))).toEqual(countBy(mediaJobs, (j) => key('sah_media_jobs', j)));
    expect(new Map(family(metrics, 'sah_webhook_deliveries'))).toEqual(countBy(deliveries, (d) => key('sah_webhook_deliveries', d)));

    // AI: requests, tokens and credits per model, provider and outcome, as the usage rows say.
    const usage = (await db.query(`SELECT endpoint, model, provider, status, error_code, input_tokens, output_tokens, credits::text AS credits FROM ai_usage`)) as Array<{
      endpoint: string;
      model: string;
      provider: string;
      status: string;
      error_code: string | null;
      input_tokens: number;
      output_tokens: number;
      credits: string;
    }>;
    expect(usage.map((u) => u.status).sort()).toEqual(['error', 'ok', 'ok']);
    const sum = (rows: typeof usage, pick: (u: (typeof usage)[number]) => number) => rows.reduce((total, u) => total + pick(u), 0);
    const expectedRequests = new Map<string, number>();
    for (const u of usage) {
      const k = key('sah_ai_requests_total', { endpoint: u.endpoint, model: u.model, provider: u.provider, status: u.status });
      expectedRequests.set(k, (expectedRequests.get(k) ?? 0) + 1);
    }
    expect(new Map(family(metrics, 'sah_ai_requests_total'))).toEqual(expectedRequests);
    for (const model of new Set(usage.map((u) => u.model))) {
      const rows = usage.filter((u) => u.model === model);
      const labels = { model, provider: 'openai' };
      expect(metrics.get(key('sah_ai_tokens_total', { ...labels, direction: 'input' }))).toBe(sum(rows, (u) => u.input_tokens));
      expect(metrics.get(key('sah_ai_tokens_total', { ...labels, direction: 'output' }))).toBe(sum(rows, (u) => u.output_tokens));
      expect(metrics.get(key('sah_ai_credits_total', labels))).toBeCloseTo(sum(rows, (u) => Number(u.credits)) / 1000, 6);
    }
    const failed = usage.find((u) => u.status === 'error');
    expect(metrics.get(key('sah_ai_errors_total', { endpoint: 'openai', model: 'gpt-4o', provider: 'openai', code: failed?.error_code ?? '' }))).toBe(1);
    expect(metrics.get(key('sah_ai_request_duration_seconds_count', { provider: 'openai', stream: 'false' }))).toBe(2);
    expect(metrics.get(key('sah_ai_time_to_first_token_seconds_count', { provider: 'openai' }))).toBe(1);
    // Two answered attempts; the refused request is the caller's fault, not the provider's, and is not one.
    expect(metrics.get(key('sah_ai_provider_attempt_duration_seconds_count', { provider: 'openai', outcome: 'ok' }))).toBe(2);
    expect(metrics.get(key('sah_ai_provider_circuit_open', { provider: 'openai' }))).toBe(0);

    // Queues: every registered queue is listed; the probe job waits in the mail queue, two minutes old.
    const queues = new Set(family(metrics, 'sah_queue_jobs').map(([k]) => /queue="([^"]+)"/.exec(k)?.[1]));
    expect([...queues]).toEqual(expect.arrayContaining(Object.values(QUEUES)));
    expect(metrics.get(key('sah_queue_jobs', { queue: QUEUES.mail, state: 'waiting' }))).toBe(1);
    const age = metrics.get(key('sah_queue_oldest_waiting_age_seconds', { queue: QUEUES.mail })) ?? 0;
    expect(age).toBeGreaterThanOrEqual(120);
    expect(age).toBeLessThan(300);

    // This process's database pool, against its configured maximum.
    expect(metrics.get(key('sah_db_pool_max'))).toBe(api.config.database.poolMax);
    expect(metrics.get(key('sah_db_pool_connections', { state: 'total' }))).toBeGreaterThan(0);

    // No label carries a user's id or e-mail.
    const text = [...metrics.keys()].join('\n');
    for (const secret of [buyer.userId, caller.userId, email, buyer.email]) expect(text).not.toContain(secret);
  });
});

const MEDIA_DURATION_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * The same scrape with workers running (one process, WORKERS=inline): media jobs that succeed and
 * fail, a webhook delivered to a partner, and a queue job that fails for good.
 */
describe('metrics: media jobs, webhook deliveries and queue failures after workers ran them', () => {
  const fal = new FakeFal();
  const receiver = new WebhookReceiver();
  const storageDir = mkdtempSync(join(tmpdir(), 'metrics-media-'));
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    await Promise.all([fal.start(), receiver.start()]);
    api = await startTestApp({
      ...fal.env(),
      // fal's models need no OpenAI; moderation (OpenAI's) is off.
      MEDIA_MODERATION: 'off',
      MEDIA_STORAGE_DIR: storageDir,
      MEDIA_POLL_INTERVAL_MS: '50',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([fal.stop(), receiver.stop()]);
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('counts each finished media job in its duration bucket, each delivery by outcome and the failed job', async () => {
    const owner = await createSignedInUser(api);
    await fund(api, owner.userId, 200);
    const endpoint = await gql(
      api.url,
      'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
      { input: { url: `${receiver.url}/hooks`, description: 'metrics' } },
      owner.accessToken,
    );
    expect(endpoint.errors).toBeUndefined();

    const create = async (kind: 'Image' | 'Video', input: Record<string, unknown>) =>
      dataOf(
        await gql<Record<string, { id: string }>>(
          api.url,
          `mutation ($input: Create${kind}JobInput!) { create${kind}Job(input: $input) { id } }`,
          { input },
          owner.accessToken,
        ),
      )[`create${kind}Job`]?.id as string;
    const ids = [
      await create('Image', { prompt: 'a fox in the snow', model: 'flux-schnell' }),
      await create('Video', { prompt: 'PROVIDER_FAIL a storm', model: 'kling-video-2.1', seconds: 5 }),
    ];
    const finished = await eventually(
      async () => (await db.query(`SELECT id, status, settled_at FROM media_job WHERE id = ANY($1)`, [ids])) as Array<{ status: string; settled_at: Date | null }>,
      (rows) => rows.length === 2 && rows.every((row) => row.settled_at !== null),
      30_000,
    );
    expect(finished.map((row) => row.status).sort()).toEqual(['failed', 'succeeded']);
    // The jobs' events reach the partner's endpoint: every event relayed (its deliveries exist) and every
    // delivery made, so none is still on its way when the metrics are read (a late one was seen pending).
    await eventually(
      async () => ({
        deliveries: (await db.query(`SELECT status FROM webhook_delivery`)) as Array<{ status: string }>,
        unrelayed: ((await db.query(`SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL`)) as Array<{ n: number }>)[0].n,
      }),
      ({ deliveries, unrelayed }) => unrelayed === 0 && deliveries.length >= 2 && deliveries.every((row) => row.status === 'delivered'),
      30_000,
    );
    expect(receiver.received.length).toBeGreaterThanOrEqual(2);

    // A mail job no handler takes: it fails for good at its only attempt.
    const mail = api.app.get<Queue>(getQueueToken(QUEUES.mail));
    await mail.add('metrics-unknown', {}, { attempts: 1 });
    await eventually(() => mail.getJobCounts('failed'), (counts) => counts.failed === 1, 10_000);

    const response = await fetch(`${api.url}/metrics`);
    const metrics = parse(await response.text());

    const countBy = <T>(rows: T[], series: (row: T) => string) => rows.reduce((map, row) => map.set(series(row), (map.get(series(row)) ?? 0) + 1), new Map<string, number>());
    const jobs = (await db.query(
      `SELECT kind, status, extract(epoch FROM finished_at - created_at)::float8 AS seconds FROM media_job`,
    )) as Array<{ kind: string; status: string; seconds: number | null }>;
    expect(new Map(family(metrics, 'sah_media_jobs'))).toEqual(countBy(jobs, (j) => key('sah_media_jobs', { kind: j.kind, status: j.status })));

    // The duration histogram: every finished job once, in the first bucket its creation-to-end time fits.
    const expected = new Map<string, number>();
    const add = (name: string, labels: Record<string, string>, value: number) => expected.set(key(name, labels), (expected.get(key(name, labels)) ?? 0) + value);
    for (const job of jobs.filter((j) => j.seconds !== null)) {
      const labels = { kind: job.kind, outcome: job.status };
      for (const le of MEDIA_DURATION_BUCKETS) add('sah_media_job_duration_seconds_bucket', { ...labels, le: String(le) }, (job.seconds as number) <= le ? 1 : 0);
      add('sah_media_job_duration_seconds_bucket', { ...labels, le: '+Inf' }, 1);
      add('sah_media_job_duration_seconds_count', labels, 1);
    }
    expect(new Map(family(metrics, 'sah_media_job_duration_seconds_bucket'))).toEqual(new Map(family(expected, 'sah_media_job_duration_seconds_bucket')));
    expect(new Map(family(metrics, 'sah_media_job_duration_seconds_count'))).toEqual(new Map(family(expected, 'sah_media_job_duration_seconds_count')));
    for (const outcome of ['succeeded', 'failed']) {
      const job = jobs.find((j) => j.status === outcome);
      const kind = outcome === 'succeeded' ? 'image' : 'video';
      expect(metrics.get(key('sah_media_job_duration_seconds_sum', { kind, outcome }))).toBeCloseTo(job?.seconds ?? -1, 3);
    }

    const deliveries = (await db.query(`SELECT status FROM webhook_delivery`)) as Array<{ status: string }>;
    expect(new Map(family(metrics, 'sah_webhook_deliveries'))).toEqual(countBy(deliveries, (d) => key('sah_webhook_deliveries', d)));

    // Failures are BullMQ's own count in Redis; the other queues have none.
    expect(metrics.get(key('sah_queue_jobs_failed_total', { queue: QUEUES.mail }))).toBe(1);
    expect(family(metrics, 'sah_queue_jobs_failed_total').filter(([k]) => !k.includes(`"${QUEUES.mail}"`)).every(([, value]) => value === 0)).toBe(true);
  }, 60_000);
});
