import { DataSource } from 'typeorm';
import type { FakeSmtp } from './support/fake-smtp';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, PASSWORD, uniqueEmail } from './support/identity-fixtures';
import { MailTestApp, startMailTestApp } from './support/mail-test-app';
import type { TcpProxy } from './support/tcp-proxy';
import { eventually, TestApp } from './support/test-app';

interface FailedMail {
  id: string;
  kind: string;
  userId: string;
  recipient: string | null;
  attempts: number;
  error: string;
}

const FAILED_MAILS = '{ failedMails { id kind userId recipient attempts error } }';
const RETRY = 'mutation ($id: ID!) { retryFailedMail(id: $id) { id kind } }';

/** A mail whose attempts run out is kept for admins, who can send it again once SMTP is back. */
describe('mail: dead letters', () => {
  let mail: MailTestApp;
  let api: TestApp;
  let smtp: FakeSmtp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    mail = await startMailTestApp({ MAIL_ATTEMPTS: '2', MAIL_BACKOFF_MS: '50' });
    ({ api, smtp, proxy } = mail);
  });
  afterAll(() => mail.close());

  const failedMails = async (bearer: string) => dataOf(await gql<{ failedMails: FailedMail[] }>(api.url, FAILED_MAILS, undefined, bearer)).failedMails;

  it('lists a mail whose attempts failed; an admin’s retry delivers it with a working code, audited', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const email = uniqueEmail('dead');
    proxy.blackhole();
    let dead: FailedMail | undefined;
    try {
      const registered = dataOf(
        await gql<{ register: { id: string } }>(api.url, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', {
          input: { email, password: PASSWORD, name: 'Dead Letter' },
        }),
      );
      const listed = await eventually(
        () => failedMails(admin.accessToken),
        (mails) => mails.some((mail) => mail.userId === registered.register.id),
        15_000,
      );
      dead = listed.find((mail) => mail.userId === registered.register.id);
      expect(dead).toMatchObject({ kind: 'identity.verification-code', recipient: email, attempts: 2 });
      // The server accepted the connection and said nothing.
      expect(dead?.error).toMatch(/greeting never received/i);
    } finally {
      await proxy.restore();
    }
    expect(smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(0);

    const id = dead?.id ?? '';
    expect(dataOf(await gql(api.url, RETRY, { id }, admin.accessToken))).toEqual({ retryFailedMail: { id, kind: 'identity.verification-code' } });
    const mail = await smtp.waitFor(email, /verification code/, 15_000);
    const otp = /\b(\d{6})\b/.exec(mail.subject)?.[1];
    const verified = await gql(api.url, 'mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { user { emailVerified } } }', {
      input: { email, otp },
    });
    expect(verified.data).toEqual({ verifyEmail: { user: { emailVerified: true } } });

    expect((await failedMails(admin.accessToken)).map((m) => m.id)).not.toContain(id);
    // Only a failed mail can be retried: a sent one is not found among them.
    expect(errorCode(await gql(api.url, RETRY, { id }, admin.accessToken))).toBe('NOT_FOUND');
    const audit = (await api.app
      .get(DataSource)
      .query(`SELECT actor_id, details FROM identity_audit_log WHERE action = 'mail.retried' AND target_id = $1`, [id])) as Array<{
      actor_id: string;
      details: Record<string, unknown>;
    }>;
    expect(audit).toEqual([{ actor_id: admin.userId, details: expect.objectContaining({ kind: 'identity.verification-code' }) }]);
  });

  it('is for admins only, and refuses unknown ids', async () => {
    const user = await createSignedInUser(api, 'MANAGER');
    const admin = await createSignedInUser(api, 'ADMIN');
    expect(errorCode(await gql(api.url, FAILED_MAILS, undefined, user.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, RETRY, { id: 'mail-1-x' }, user.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, FAILED_MAILS))).toBe('UNAUTHENTICATED');
    for (const id of ['mail-1-nothing', 'not-a-mail', '1']) {
      expect(errorCode(await gql(api.url, RETRY, { id }, admin.accessToken))).toBe('NOT_FOUND');
    }
  });
});
