import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DailySummaryPayload, OPERATIONS_JOBS, QUEUES } from '@sah/infrastructure';
import type { Queue } from 'bullmq';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { DAILY_SUMMARY_PATTERN } from '../src/operations/operations.scheduler';
import { createLogger } from '../src/platform/logging/create-logger';
import { WorkerModule } from '../src/worker.module';
import { createAiUser, settled } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeOpenAI } from './support/fake-openai';
import { FakeSmtp } from './support/fake-smtp';
import { FakeStripe } from './support/fake-stripe';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser, createUser, PASSWORD, uniqueEmail } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const CHECKOUT = 'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId } }';

/** Spec FR-5: one mail a day to each admin with the day's figures, however many workers run. */
describe('daily summary mail with two workers running', () => {
  const smtp = new FakeSmtp();
  const stripe = new FakeStripe();
  const upstream = new FakeOpenAI();
  let api: TestApp;
  let db: DataSource;
  const workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    await Promise.all([smtp.start(), stripe.start(), upstream.start()]);
    // The API runs no workers; the two worker processes below share its database and Redis prefix.
    api = await startTestApp({ SMTP_URL: smtp.url, WORKERS: 'off', ...stripe.env(), ...upstream.env() });
    db = api.app.get(DataSource);
    for (let i = 0; i < 2; i++) {
      const worker = await NestFactory.createApplicationContext(WorkerModule.register(api.config, createLogger(api.config.logLevel, 'worker')), {
        logger: false,
      });
      await worker.init();
      workers.push(worker);
    }
  });
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await api.close();
    await Promise.all([smtp.stop(), stripe.stop(), upstream.stop()]);
  });

  it("mails each active admin the day's figures once, though the day's summary runs on both workers", async () => {
    const admin = await createUser(api, 'ADMIN');
    const user = await createUser(api, 'USER');

    // The day: a sign-up, a Starter purchase (100 credits), two AI calls of which one fails.
    const registered = await gql(api.url, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', {
      input: { email: uniqueEmail('summary'), password: PASSWORD, name: 'Summary User' },
    });
    expect(registered.errors).toBeUndefined();
    const buyer = await createSignedInUser(api);
    const { sessionId } = dataOf(
      await gql<{ createCheckoutSession: { sessionId: string } }>(
        api.url,
        CHECKOUT,
        { input: { package: 'starter', successUrl: 'https://hub.test/ok', cancelUrl: 'https://hub.test/no' } },
        buyer.accessToken,
      ),
    ).createCheckoutSession;
    const payload = stripe.event('checkout.session.completed', stripe.completedSession(sessionId));
    expect(await FakeStripe.deliver(api.url, payload)).toBe(200);
    const caller = await createAiUser(api);
    await fund(api, caller.userId, 100);
    const openai = new OpenAI({ apiKey: caller.apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
    upstream.reply({ text: 'ok', usage: { input: 100, output: 50 } });
    await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    upstream.failNext(1, { status: 400 });
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
    await settled(api);

    // Both workers declared the schedule; there is still one.
    const queues = workers.map((worker) => worker.get<Queue<DailySummaryPayload>>(getQueueToken(QUEUES.operations)));
    const schedulers = await (queues[0] as Queue).getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: OPERATIONS_JOBS.dailySummary, pattern: DAILY_SUMMARY_PATTERN, tz: 'UTC' })]);

    // Today's summary run twice, once from each worker (as after a retry or a second scheduler firing).
    const today = new Date().toISOString().slice(0, 10);
    for (const queue of queues) await queue.add(OPERATIONS_JOBS.dailySummary, { day: today });
    const operations = queues[0] as Queue;
    const mail = workers[0]?.get<Queue>(getQueueToken(QUEUES.mail)) as Queue;
    // Settled: both runs done and no mail left to send.
    await eventually(
      async () => ({ ops: await operations.getJobCounts('completed', 'failed'), mail: await mail.getJobCounts('waiting', 'active', 'delayed') }),
      (counts) => counts.ops.completed === 2 && counts.mail.waiting + counts.mail.active + counts.mail.delayed === 0,
      30_000,
    );

    const received = await smtp.waitFor(admin.email.value, /daily summary/, 15_000);
    expect(smtp.messages.filter((m) => m.to.includes(admin.email.value.toLowerCase()) && /daily summary/.test(m.subject))).toHaveLength(1);
    expect(smtp.messages.some((m) => m.to.includes(user.email.value.toLowerCase()) && /daily summary/.test(m.subject))).toBe(false);
    expect(received.subject).toBe(`Smart AI Hub daily summary for ${today}`);

    // The figures, against the database's rows of the day.
    const body = FakeSmtp.decoded(received);
    const since = `${today}T00:00:00Z`;
    const [{ signups }] = (await db.query(`SELECT count(*)::int AS signups FROM identity_user WHERE created_at >= $1`, [since])) as [{ signups: number }];
    const spent = (await db.query(`SELECT amount::text AS amount FROM ledger_transaction WHERE type IN ('usage', 'debit') AND created_at >= $1`, [since])) as Array<{
      amount: string;
    }>;
    const spentCredits = spent.reduce((sum, row) => sum - Number(row.amount), 0) / 1000;
    expect(spentCredits).toBe(1.5);
    expect(body).toContain(`Sign-ups: ${signups}`);
    expect(signups).toBeGreaterThanOrEqual(5);
    expect(body).toContain('Credits sold: 100');
    expect(body).toContain(`Credits spent: ${spentCredits}`);
    expect(body).toContain('AI requests: 2, of which failed: 1');
    expect(body).toContain('Failed jobs: 0');
    expect(body).toContain('Failed webhook deliveries: 0');
  });
});
