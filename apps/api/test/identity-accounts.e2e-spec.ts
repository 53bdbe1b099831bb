import { UserPersonalDataCodec } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { FakeSmtp } from './support/fake-smtp';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, createUser, PASSWORD, signIn, uniqueEmail } from './support/identity-fixtures';
import { redisEntries } from './support/redis-entries';
import { startTestApp, TestApp } from './support/test-app';

const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { id email roles emailVerified } }';
const VERIFY = 'mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { accessToken refreshToken expiresIn user { id email roles emailVerified } } }';
const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }';
const REFRESH = 'mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }';
const ME = '{ me { id email name roles emailVerified } }';

const codeIn = (subject: string) => /\b(\d{6})\b/.exec(subject)?.[1] ?? '';

describe('identity: accounts, verification, sign-in and tokens', () => {
  const smtp = new FakeSmtp();
  let api: TestApp;

  beforeAll(async () => {
    await smtp.start();
    api = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await api.close();
    await smtp.stop();
  });

  const failedSignInsWithoutActor = async () =>
    ((await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM identity_audit_log WHERE action = 'user.sign_in_failed' AND actor_id IS NULL`)) as Array<{ n: number }>)[0].n;

  const register = (email: string, password = PASSWORD) =>
    gql<{ register: { id: string; emailVerified: boolean; roles: string[] } }>(api.url, REGISTER, { input: { email, password, name: 'Ada Lovelace' } });

  it('register → the code arrives over SMTP → verifyEmail → tokens → me', async () => {
    const email = uniqueEmail('ada');
    const registered = await register(email);
    expect(registered.data?.register).toMatchObject({ roles: ['USER'], emailVerified: false });

    const mail = await smtp.waitFor(email, /verification code/);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    const otp = codeIn(mail.subject);
    expect(otp).toMatch(/^\d{6}$/);

    const verified = await gql<{ verifyEmail: { accessToken: string; expiresIn: number; user: { emailVerified: boolean } } }>(api.url, VERIFY, {
      input: { email, otp },
    });
    expect(verified.data?.verifyEmail).toMatchObject({ expiresIn: 900, user: { emailVerified: true } });

    const me = await gql(api.url, ME, undefined, verified.data?.verifyEmail.accessToken);
    expect(me.data?.me).toMatchObject({ email, name: 'Ada Lovelace', roles: ['USER'], emailVerified: true });

    // The events the ledger will act on (open an account, grant welcome credits) are in the outbox,
    // written in the same transactions as the user rows. Identity's own only: the ledger's credit.granted
    // for the welcome credits follows asynchronously, when the relay has handed it email_verified.
    const events = (await api.app
      .get(DataSource)
      .query(`SELECT type FROM outbox_event WHERE payload->>'userId' = $1 AND type LIKE 'identity.%' ORDER BY id`, [
        registered.data?.register.id,
      ])) as { type: string }[];
    expect(events.map((e) => e.type)).toEqual(['identity.user_registered', 'identity.email_verified']);
  });

  it('refuses weak passwords and bad addresses (a taken address: security-identity.e2e-spec.ts)', async () => {
    expect(errorCode(await register(uniqueEmail(), 'password'))).toBe('WEAK_PASSWORD');
    expect(errorCode(await register(uniqueEmail(), 'Password1'))).toBe('WEAK_PASSWORD');
    expect(errorCode(await register('not-an-address'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await register(`${'x'.repeat(300)}@example.com`))).toBe('BAD_USER_INPUT');
  });

  it('allows 5 wrong codes; after that even the right code is refused until the window passes', async () => {
    const email = uniqueEmail('otp');
    await register(email);
    const otp = codeIn((await smtp.waitFor(email, /verification code/)).subject);
    const wrong = otp === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 5; i++) {
      const result = await gql(api.url, VERIFY, { input: { email, otp: wrong } });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions.details).toEqual({ attempts_remaining: 5 - i });
    }
    const sixth = await gql(api.url, VERIFY, { input: { email, otp } });
    expect(errorCode(sixth)).toBe('TOO_MANY_ATTEMPTS');
  });

  it('refuses sign-in before verification, and resends a code at most once a minute', async () => {
    const email = uniqueEmail('unverified');
    await register(email);
    expect(errorCode(await gql(api.url, LOGIN, { input: { email, password: PASSWORD } }))).toBe('EMAIL_NOT_VERIFIED');

    const resend = 'mutation ($email: String!) { resendVerification(email: $email) }';
    expect((await gql(api.url, resend, { email })).data).toEqual({ resendVerification: true });
    expect(errorCode(await gql(api.url, resend, { email }))).toBe('RATE_LIMITED');
    // Unknown addresses get the same answer as known ones.
    expect((await gql(api.url, resend, { email: uniqueEmail('nobody') })).data).toEqual({ resendVerification: true });
  });

  it('locks the account after 5 wrong passwords, counting down attempts_remaining', async () => {
    const user = await createUser(api);
    const email = user.email.value;
    for (let remaining = 4; remaining >= 1; remaining--) {
      const result = await gql(api.url, LOGIN, { input: { email, password: 'Wrong-Passw0rd' } });
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0].message).toBe('Wrong e-mail or password');
      expect(result.errors?.[0].extensions.details).toEqual({ attempts_remaining: remaining });
    }
    expect(errorCode(await gql(api.url, LOGIN, { input: { email, password: 'Wrong-Passw0rd' } }))).toBe('ACCOUNT_LOCKED');
    const locked = await gql(api.url, LOGIN, { input: { email, password: PASSWORD } });
    expect(errorCode(locked)).toBe('ACCOUNT_LOCKED');
    expect(locked.errors?.[0].extensions.details?.retry_after_seconds).toBeGreaterThan(800);
  });

  it('keeps no e-mail address in Redis: lock-outs and mail cool-downs are keyed by its keyed hash, and still hold', async () => {
    const user = await createUser(api);
    const email = user.email.value;
    for (let attempt = 0; attempt < 5; attempt++) await gql(api.url, LOGIN, { input: { email: email.toUpperCase(), password: 'Wrong-Passw0rd' } });
    // Each counter or cool-down that once used the address: sign-in lock-out, reset, sign-up attempt, resend.
    dataOf(await gql(api.url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email }));
    dataOf(await register(email));
    const unverified = uniqueEmail('redis-unverified');
    await register(unverified);
    dataOf(await gql(api.url, 'mutation ($email: String!) { resendVerification(email: $email) }', { email: unverified }));

    const locked = await gql(api.url, LOGIN, { input: { email, password: PASSWORD } });
    expect(errorCode(locked)).toBe('ACCOUNT_LOCKED');
    expect(locked.errors?.[0].extensions.details?.retry_after_seconds).toBeGreaterThan(800);
    expect(errorCode(await gql(api.url, 'mutation ($email: String!) { resendVerification(email: $email) }', { email: unverified }))).toBe(
      'RATE_LIMITED',
    );

    const entries = await redisEntries(api);
    expect(entries.length).toBeGreaterThan(3);
    // The scan sees what is there: the lock-out counter, under the address's hash.
    const lookup = api.app.get(UserPersonalDataCodec).redisKey(email);
    expect(entries.map((entry) => entry.key)).toContain(`${api.config.redis.keyPrefix}identity:login-failures:account:${lookup}`);
    for (const address of [email, unverified])
      expect(entries.filter((entry) => `${entry.key}\n${entry.value}`.toLowerCase().includes(address.toLowerCase()))).toEqual([]);
  });

  it('gives an unknown address the same answer as a wrong password, and keeps no trace of the address', async () => {
    const ghost = uniqueEmail('ghost');
    const before = await failedSignInsWithoutActor();
    const result = await gql(api.url, LOGIN, { input: { email: ghost, password: PASSWORD } });
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0].message).toBe('Wrong e-mail or password');
    // Audited (other suites may add theirs meanwhile), and the address is in no column of any entry.
    expect(await failedSignInsWithoutActor()).toBeGreaterThan(before);
    const mentions = (await api.app
      .get(DataSource)
      .query(`SELECT id FROM identity_audit_log a WHERE lower(a::text) LIKE '%' || lower($1) || '%'`, [ghost])) as unknown[];
    expect(mentions).toEqual([]);
  });

  it('rotates refresh tokens; reusing an old one kills the whole family', async () => {
    const session = await createSignedInUser(api);
    const first = await gql<{ refreshToken: { accessToken: string; refreshToken: string } }>(api.url, REFRESH, { token: session.refreshToken });
    const rotated = dataOf(first).refreshToken;
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect((await gql(api.url, ME, undefined, rotated.accessToken)).data?.me).toBeTruthy();

    expect(errorCode(await gql(api.url, REFRESH, { token: session.refreshToken }))).toBe('UNAUTHENTICATED');
    // The thief's replay revoked the family: the legitimate newer token is dead too.
    expect(errorCode(await gql(api.url, REFRESH, { token: rotated.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('refuses the access token after logout, and its refresh token too', async () => {
    const session = await createSignedInUser(api);
    const logout = await gql(api.url, 'mutation ($t: String) { logout(refreshToken: $t) }', { t: session.refreshToken }, session.accessToken);
    expect(logout.data).toEqual({ logout: true });
    expect(errorCode(await gql(api.url, ME, undefined, session.accessToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(api.url, REFRESH, { token: session.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('refuses tampered, foreign and unsigned access tokens', async () => {
    const session = await createSignedInUser(api);
    const [header, payload] = session.accessToken.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (const token of [unsigned, forged, 'not-a-token']) {
      expect(errorCode(await gql(api.url, ME, undefined, token))).toBe('UNAUTHENTICATED');
    }
    expect(errorCode(await gql(api.url, ME))).toBe('UNAUTHENTICATED');
  });

  it('resets a password by mailed single-use link, killing old sessions', async () => {
    const session = await createSignedInUser(api);
    const request = 'mutation ($email: String!) { requestPasswordReset(email: $email) }';
    expect((await gql(api.url, request, { email: session.email })).data).toEqual({ requestPasswordReset: true });
    const mail = await smtp.waitFor(session.email, /Reset your/);
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(FakeSmtp.decoded(mail))?.[1] ?? '');
    expect(token.length).toBeGreaterThanOrEqual(43);

    const reset = 'mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) }';
    expect(errorCode(await gql(api.url, reset, { input: { token, newPassword: 'weak' } }))).toBe('WEAK_PASSWORD');
    expect((await gql(api.url, reset, { input: { token, newPassword: 'N3w-Passphrase' } })).data).toEqual({ resetPassword: true });
    expect(errorCode(await gql(api.url, reset, { input: { token, newPassword: 'An0ther-Passphrase' } }))).toBe('BAD_USER_INPUT');

    expect(errorCode(await gql(api.url, REFRESH, { token: session.refreshToken }))).toBe('UNAUTHENTICATED');
    await smtp.waitFor(session.email, /password was changed/);
    await expect(signIn(api, session.email, 'N3w-Passphrase')).resolves.toMatchObject({ userId: session.userId });

    const before = smtp.messages.length;
    expect((await gql(api.url, request, { email: uniqueEmail('nobody') })).data).toEqual({ requestPasswordReset: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.messages.length).toBe(before);
  });

  it('changes the password with the current one, signing out other sessions', async () => {
    const session = await createSignedInUser(api);
    const change = 'mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }';
    const run = (currentPassword: string, newPassword: string) =>
      gql(api.url, change, { input: { currentPassword, newPassword } }, session.accessToken);

    expect(errorCode(await run('Not-the-passw0rd', 'N3w-Passphrase'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await run(PASSWORD, 'weak'))).toBe('WEAK_PASSWORD');
    expect((await run(PASSWORD, 'N3w-Passphrase')).data).toEqual({ changePassword: true });

    // The caller's own session stays (other sessions: security-identity.e2e-spec.ts).
    expect((await gql(api.url, ME, undefined, session.accessToken)).data?.me).toBeTruthy();
    expect(dataOf(await gql(api.url, REFRESH, { token: session.refreshToken }))).toBeTruthy();
    await expect(signIn(api, session.email, 'N3w-Passphrase')).resolves.toMatchObject({ userId: session.userId });
    await smtp.waitFor(session.email, /password was changed/);
  });

  it('stores no plaintext secret: not the refresh token, API key, reset token or code', async () => {
    const session = await createSignedInUser(api);
    const key = await gql<{ createApiKey: { secret: string } }>(
      api.url,
      'mutation { createApiKey(input: { name: "ci", scopes: ["ai.use"] }) { secret } }',
      undefined,
      session.accessToken,
    );
    const secret = dataOf(key).createApiKey.secret;
    const dump = JSON.stringify(
      await api.app.get(DataSource).query(`
        SELECT (SELECT json_agg(t) FROM identity_refresh_token t) AS refresh,
               (SELECT json_agg(k) FROM identity_api_key k) AS keys,
               (SELECT json_agg(u) FROM identity_user u) AS users,
               (SELECT json_agg(a) FROM identity_audit_log a) AS audit,
               (SELECT json_agg(o) FROM outbox_event o) AS outbox`),
    );
    for (const plaintext of [session.refreshToken, secret, session.accessToken, PASSWORD]) expect(dump).not.toContain(plaintext);
  });
});
