import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { createLogger } from '../src/platform/logging/create-logger';
import { WorkerModule } from '../src/worker.module';
import { FakeSmtp } from './support/fake-smtp';
import { gql } from './support/graphql-client';
import { PASSWORD, uniqueEmail } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** The production split: an API with WORKERS=off only stores the mail; the worker process sends it. */
describe('mail: API without workers, worker process', () => {
  const smtp = new FakeSmtp();
  let api: TestApp;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    await smtp.start();
    api = await startTestApp({ SMTP_URL: smtp.url, WORKERS: 'off' });
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
    await smtp.stop();
  });

  it('sends the verification mail once a worker runs', async () => {
    const email = uniqueEmail('split');
    const registered = await gql<{ register: { id: string } }>(api.url, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', {
      input: { email, password: PASSWORD, name: 'Split Process' },
    });
    const userId = registered.data?.register.id;
    // The API stored the event with the user and relays nothing itself.
    const unrelayed = await api.app
      .get(DataSource)
      .query(`SELECT published_at FROM outbox_event WHERE type = 'identity.user_registered' AND payload->>'userId' = $1`, [userId]);
    expect(unrelayed).toEqual([{ published_at: null }]);

    // Same database and Redis prefix as the API: the worker relays its outbox and runs its queues.
    worker = await NestFactory.createApplicationContext(WorkerModule.register(api.config, createLogger(api.config.logLevel, 'worker')), {
      logger: false,
    });
    await worker.init();
    const mail = await smtp.waitFor(email, /verification code/, 15_000);
    expect(mail.subject).toMatch(/\d{6}/);
  });
});
