import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES, SendMailPayload } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { OutboxHandlers } from '../src/platform/outbox/outbox-handlers';
import { FakeSmtp } from './support/fake-smtp';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser, createUser, PASSWORD, signIn, uniqueEmail } from './support/identity-fixtures';
import { MailTestApp, startMailTestApp } from './support/mail-test-app';
import type { TcpProxy } from './support/tcp-proxy';
import { eventually, TestApp } from './support/test-app';

const codeIn = (subject: string) => /\b(\d{6})\b/.exec(subject)?.[1] ?? '';

/** Mail goes out from a queue: requests never wait on SMTP, and a stalled server delays mail without losing or doubling it. */
describe('mail: delivered from the queue, whatever SMTP does', () => {
  let mail: MailTestApp;
  let api: TestApp;
  let smtp: FakeSmtp;
  let proxy: TcpProxy;
  let queue: Queue<SendMailPayload>;

  beforeAll(async () => {
    // Plenty of attempts: the test ends the blackhole after the first failures, long before they run out.
    mail = await startMailTestApp({ MAIL_ATTEMPTS: '20', MAIL_BACKOFF_MS: '100' });
    ({ api, smtp, proxy } = mail);
    queue = api.app.get<Queue<SendMailPayload>>(getQueueToken(QUEUES.mail));
  });
  afterAll(() => mail.close());

  const timed = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> => {
    const started = Date.now();
    const result = await work();
    return { result, ms: Date.now() - started };
  };
  const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address.toLowerCase()));
  const jobsOf = async (userIds: string[]) =>
    (await queue.getJobs(['wait', 'active', 'delayed', 'completed', 'failed'])).filter((job) => userIds.includes(job.data.userId));
  /** No mail job is waiting or running: nothing more can arrive. */
  const settled = async () => (await queue.getJobCountByTypes('wait', 'active', 'delayed', 'prioritized')) === 0;

  const register = (email: string) =>
    gql<{ register: { id: string } }>(api.url, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', {
      input: { email, password: PASSWORD, name: 'Late Mail' },
    });
  const requestReset = (email: string) => gql(api.url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email });
  const assignRole = (bearer: string, userId: string, role: string) =>
    gql(api.url, 'mutation ($input: AssignRoleInput!) { assignRole(input: $input) { id } }', { input: { userId, role } }, bearer);

  it('with SMTP blackholed, register, requestPasswordReset and assignRole answer at once; each mail arrives exactly once after', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const target = await createUser(api, 'USER');
    const newcomer = uniqueEmail('late');
    // The same three calls once with SMTP up, so the timed ones below measure no first-call warm-up.
    const warm = await createUser(api, 'USER');
    await Promise.all([register(uniqueEmail('warm')), requestReset(warm.email.value), assignRole(admin.accessToken, warm.id, 'GUEST')]);
    await smtp.waitFor(warm.email.value, /role changed/, 15_000);

    proxy.blackhole();
    try {
      const registered = await timed(() => register(newcomer));
      const reset = await timed(() => requestReset(target.email.value));
      const promoted = await timed(() => assignRole(admin.accessToken, target.id, 'MANAGER'));
      expect(dataOf(registered.result).register.id).toBeTruthy();
      expect(reset.result.data).toEqual({ requestPasswordReset: true });
      expect(promoted.result.data).toEqual({ assignRole: { id: target.id } });
      const slow = Object.entries({ register: registered.ms, requestPasswordReset: reset.ms, assignRole: promoted.ms }).filter(([, ms]) => ms >= 1_000);
      expect(slow).toEqual([]);

      // All three jobs have met the silent server at least once before it recovers.
      const userIds = [dataOf(registered.result).register.id, target.id];
      const jobs = await eventually(
        () => jobsOf(userIds),
        (found) => found.length === 3 && found.every((job) => job.attemptsMade >= 1),
        15_000,
      );
      expect(jobs.map((job) => job.attemptsMade).every((n) => n >= 1)).toBe(true);
      expect([...mailsTo(newcomer), ...mailsTo(target.email.value)]).toHaveLength(0);
    } finally {
      await proxy.restore();
    }

    const code = codeIn((await smtp.waitFor(newcomer, /verification code/, 15_000)).subject);
    const resetMail = await smtp.waitFor(target.email.value, /Reset your/, 15_000);
    await smtp.waitFor(target.email.value, /role changed/, 15_000);
    expect(await eventually(settled, Boolean, 15_000)).toBe(true);
    expect(mailsTo(newcomer)).toHaveLength(1);
    expect(mailsTo(target.email.value).map((m) => m.subject).sort()).toEqual(['Reset your Smart AI Hub password', 'Your Smart AI Hub role changed']);

    // The code was made when the mail went out: it works however long the mail waited.
    const verified = await gql(api.url, 'mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { user { emailVerified } } }', {
      input: { email: newcomer, otp: code },
    });
    expect(verified.data).toEqual({ verifyEmail: { user: { emailVerified: true } } });
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(FakeSmtp.decoded(resetMail))?.[1] ?? '');
    const resetDone = await gql(api.url, 'mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) }', {
      input: { token, newPassword: 'N3w-Passphrase' },
    });
    expect(resetDone.data).toEqual({ resetPassword: true });
    await expect(signIn(api, target.email.value, 'N3w-Passphrase')).resolves.toMatchObject({ userId: target.id });
  });

  it('keeps secrets out of jobs and outbox rows: the code exists only in the mail', async () => {
    const email = uniqueEmail('secret');
    const registered = dataOf(
      await gql<{ register: { id: string } }>(api.url, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', {
        input: { email, password: PASSWORD, name: 'Secret Keeper' },
      }),
    );
    const code = codeIn((await smtp.waitFor(email, /verification code/, 15_000)).subject);
    expect(code).toMatch(/^\d{6}$/);
    const [job] = await jobsOf([registered.register.id]);
    expect(job?.data).toEqual({ kind: 'identity.verification-code', userId: registered.register.id, params: {} });
    const rows = await api.app.get(DataSource).query(`SELECT payload FROM outbox_event WHERE payload->>'userId' = $1`, [registered.register.id]);
    expect(JSON.stringify([job, rows])).not.toContain(code);
  });

  it('sends one mail for an event the relay delivers twice', async () => {
    const user = await createUser(api, 'USER');
    const event = { id: '900000001', type: 'identity.password_changed', payload: { userId: user.id }, occurredAt: new Date() };
    const outbox = api.app.get(OutboxHandlers);
    await outbox.dispatch(event);
    await smtp.waitFor(user.email.value, /password was changed/, 15_000);
    await outbox.dispatch(event);
    expect(await eventually(settled, Boolean, 15_000)).toBe(true);
    expect(mailsTo(user.email.value)).toHaveLength(1);
    expect(await jobsOf([user.id])).toHaveLength(1);
  });
});
