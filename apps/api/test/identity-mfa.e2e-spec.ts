import { UserRepository } from '@sah/domain';
import { Totp } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Browser } from './support/browser';
import { FakeGoogle, GOOGLE_ACCOUNT_COOKIE } from './support/fake-google';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser, createUser, PASSWORD, signIn } from './support/identity-fixtures';
import { SessionTokens } from '../src/contexts/identity/application/session-tokens.service';
import { VerifiedSessions } from '../src/contexts/identity/sessions/verified-sessions.service';
import { startTestApp, TestApp } from './support/test-app';

const APP_URL = 'http://hub.test';
const PAYLOAD =
  'accessToken refreshToken expiresIn user { id email } twoFactor { challengeToken purpose expiresIn }';
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { ${PAYLOAD} } }`;
const COMPLETE = `mutation ($input: CompleteTwoFactorSignInInput!) { completeTwoFactorSignIn(input: $input) { ${PAYLOAD} } }`;
const ENROL =
  'mutation ($challengeToken: String) { enrolTwoFactor(challengeToken: $challengeToken) { secret otpauthUri } }';
const CONFIRM = `mutation ($input: ConfirmTwoFactorInput!) { confirmTwoFactor(input: $input) { recoveryCodes session { ${PAYLOAD} } } }`;
const DISABLE = 'mutation ($input: DisableTwoFactorInput!) { disableTwoFactor(input: $input) }';
const RESET = 'mutation ($userId: ID!) { resetUserTwoFactor(userId: $userId) { id twoFactorEnabled } }';
const ME = '{ me { id twoFactorEnabled } }';
const REFRESH = 'mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }';

interface Payload {
  accessToken: string | null;
  refreshToken: string | null;
  expiresIn: number | null;
  user: { id: string; email: string };
  twoFactor: { challengeToken: string; purpose: string; expiresIn: number } | null;
}

/** The code an authenticator app shows `offsetSteps` periods from now (the next one is accepted too: clock drift). */
const codeOf = (secret: string, offsetSteps = 0) => Totp.codeAt(secret, Date.now() + offsetSteps * 30_000);

const detailsOf = (result: GraphqlResult) => result.errors?.[0]?.extensions.details;

describe('identity: TOTP two-factor sign-in', () => {
  const google = new FakeGoogle();
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    await google.start();
    api = await startTestApp({ ...google.env(), APP_URL });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await google.stop();
  });

  const login = (email: string, password = PASSWORD) =>
    gql<{ login: Payload }>(api.url, LOGIN, { input: { email, password } });
  const complete = (challengeToken: string, code: string) =>
    gql<{ completeTwoFactorSignIn: Payload }>(api.url, COMPLETE, { input: { challengeToken, code } });
  const challengeOf = async (email: string) => {
    const payload = dataOf(await login(email)).login;
    expect(payload).toMatchObject({
      accessToken: null,
      refreshToken: null,
      expiresIn: null,
      twoFactor: { purpose: 'SIGN_IN', expiresIn: 300 },
    });
    return payload.twoFactor!.challengeToken;
  };

  /** A signed-in user who turned two-factor on with the current code (so that time step is spent). */
  async function enrolledUser(role: 'USER' | 'ADMIN' = 'USER') {
    const session = await createSignedInUser(api, role);
    const enrolment = dataOf(
      await gql<{ enrolTwoFactor: { secret: string; otpauthUri: string } }>(
        api.url,
        ENROL,
        {},
        session.accessToken,
      ),
    ).enrolTwoFactor;
    const confirmed = dataOf(
      await gql<{ confirmTwoFactor: { recoveryCodes: string[]; session: Payload | null } }>(
        api.url,
        CONFIRM,
        { input: { code: codeOf(enrolment.secret) } },
        session.accessToken,
      ),
    ).confirmTwoFactor;
    return {
      ...session,
      secret: enrolment.secret,
      otpauthUri: enrolment.otpauthUri,
      recoveryCodes: confirmed.recoveryCodes,
      confirmed,
    };
  }

  it('enrols with a secret for the QR code, confirmed by a first code; the secret is stored encrypted', async () => {
    const user = await enrolledUser();
    expect(user.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(user.otpauthUri).toBe(
      `otpauth://totp/Smart%20AI%20Hub:${encodeURIComponent(user.email)}?secret=${user.secret}&issuer=Smart%20AI%20Hub`,
    );
    expect(user.confirmed.session).toBeNull();
    expect(user.recoveryCodes).toHaveLength(10);
    expect(new Set(user.recoveryCodes).size).toBe(10);
    for (const code of user.recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect(
      dataOf(await gql<{ me: { twoFactorEnabled: boolean } }>(api.url, ME, undefined, user.accessToken)).me
        .twoFactorEnabled,
    ).toBe(true);

    const rows = await db.query<{ row: string }[]>(
      `SELECT f::text AS row FROM identity_two_factor f WHERE user_id = $1
       UNION ALL SELECT c::text FROM identity_recovery_code c WHERE user_id = $1`,
      [user.userId],
    );
    expect(rows).toHaveLength(11);
    const stored = rows.map((r) => r.row).join('\n');
    expect(stored).not.toContain(user.secret);
    expect(stored).not.toContain(Buffer.from(user.secret).toString('hex'));
    for (const code of user.recoveryCodes) expect(stored).not.toContain(code.replace(/-/g, ''));

    // A second enrolment while on is refused; so is confirming again.
    expect(errorCode(await gql(api.url, ENROL, {}, user.accessToken))).toBe('CONFLICT');
    expect(
      errorCode(await gql(api.url, CONFIRM, { input: { code: codeOf(user.secret, 1) } }, user.accessToken)),
    ).toBe('CONFLICT');
  });

  it('refuses a wrong first code and keeps the factor off', async () => {
    const session = await createSignedInUser(api);
    const { secret } = dataOf(
      await gql<{ enrolTwoFactor: { secret: string } }>(api.url, ENROL, {}, session.accessToken),
    ).enrolTwoFactor;
    const wrong = String((Number(codeOf(secret)) + 1) % 1_000_000).padStart(6, '0');
    const result = await gql(api.url, CONFIRM, { input: { code: wrong } }, session.accessToken);
    // Signed in, a wrong code is bad input: UNAUTHENTICATED would mean the session itself ended.
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(detailsOf(result)).toEqual({ attempts_remaining: 4 });
    expect(
      dataOf(await gql<{ me: { twoFactorEnabled: boolean } }>(api.url, ME, undefined, session.accessToken)).me
        .twoFactorEnabled,
    ).toBe(false);
    // Without a second factor the password alone still signs in.
    expect(dataOf(await login(session.email)).login).toMatchObject({
      accessToken: expect.any(String),
      twoFactor: null,
    });
  });

  it('gives no tokens for the password alone; a valid code completes the sign-in, once', async () => {
    const user = await enrolledUser();
    const challenge = await challengeOf(user.email);

    // The challenge is no credential.
    expect(errorCode(await gql(api.url, ME, undefined, challenge))).toBe('UNAUTHENTICATED');

    const code = codeOf(user.secret, 1);
    const signedIn = dataOf(await complete(challenge, code)).completeTwoFactorSignIn;
    expect(signedIn).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      twoFactor: null,
      user: { id: user.userId },
    });
    expect(
      dataOf(await gql<{ me: { id: string } }>(api.url, ME, undefined, signedIn.accessToken!)).me.id,
    ).toBe(user.userId);

    // The challenge is spent, and the same code again (same time step) is a replay.
    expect(errorCode(await complete(challenge, codeOf(user.secret, 1)))).toBe('UNAUTHENTICATED');
    const replay = await complete(await challengeOf(user.email), code);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect(replay.errors?.[0]?.message).toMatch(/already used/);
    // An older code than the last accepted one is refused too.
    expect(errorCode(await complete(await challengeOf(user.email), codeOf(user.secret, 0)))).toBe(
      'UNAUTHENTICATED',
    );

    const audit = await db.query<{ action: string; details: Record<string, unknown> }[]>(
      `SELECT action, details FROM identity_audit_log WHERE target_id = $1 ORDER BY occurred_at, id`,
      [user.userId],
    );
    expect(audit).toContainEqual({
      action: 'user.signed_in',
      details: { method: 'password', secondFactor: 'totp' },
    });
    expect(audit.filter((e) => e.action === 'user.two_factor_failed')).toHaveLength(2);
  });

  it('refuses a wrong code, counting down to the lock-out that five wrong codes cause', async () => {
    const user = await enrolledUser();
    const challenge = await challengeOf(user.email);
    const good = codeOf(user.secret, 1);
    const wrong = good === '000000' ? '000001' : '000000';
    for (let attempt = 1; attempt <= 4; attempt++) {
      const result = await complete(challenge, attempt % 2 ? wrong : 'not-a-recovery-code');
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
      expect(detailsOf(result)).toEqual({ attempts_remaining: 5 - attempt });
    }
    const fifth = await complete(challenge, wrong);
    expect(errorCode(fifth)).toBe('ACCOUNT_LOCKED');
    expect(detailsOf(fifth)?.retry_after_seconds).toBeGreaterThan(800);

    // Locked like five wrong passwords: the right password and the right code are refused alike.
    expect(errorCode(await complete(challenge, good))).toBe('UNAUTHENTICATED'); // that challenge was dropped
    expect(errorCode(await login(user.email))).toBe('ACCOUNT_LOCKED');
  });

  it('accepts each recovery code once, in any case and spacing', async () => {
    const user = await enrolledUser();
    const [first, second] = user.recoveryCodes;
    const signedIn = dataOf(
      await complete(await challengeOf(user.email), first.toUpperCase().replace(/-/g, ' ')),
    ).completeTwoFactorSignIn;
    expect(signedIn.accessToken).toEqual(expect.any(String));
    expect(errorCode(await complete(await challengeOf(user.email), first))).toBe('UNAUTHENTICATED');
    expect(
      dataOf(await complete(await challengeOf(user.email), second)).completeTwoFactorSignIn.accessToken,
    ).toEqual(expect.any(String));
    const used = await db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM identity_recovery_code WHERE user_id = $1 AND used_at IS NOT NULL',
      [user.userId],
    );
    expect(used[0].n).toBe(2);
  });

  it('turns off with a current code; then the password alone signs in again', async () => {
    const user = await enrolledUser();
    expect(
      errorCode(
        await gql(
          api.url,
          DISABLE,
          { input: { code: '123456' === codeOf(user.secret, 1) ? '654321' : '123456' } },
          user.accessToken,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      dataOf(await gql(api.url, DISABLE, { input: { code: codeOf(user.secret, 1) } }, user.accessToken)),
    ).toEqual({ disableTwoFactor: true });
    expect(dataOf(await login(user.email)).login).toMatchObject({
      accessToken: expect.any(String),
      twoFactor: null,
    });
    const left = await db.query<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM identity_two_factor WHERE user_id = $1) + (SELECT count(*) FROM identity_recovery_code WHERE user_id = $1) AS n`,
      [user.userId],
    );
    expect(Number(left[0].n)).toBe(0);
  });

  it('turns off with the password instead of a code; a wrong password counts towards the lock-out', async () => {
    const user = await enrolledUser();
    const disable = (input: Record<string, string>) => gql(api.url, DISABLE, { input }, user.accessToken);
    expect(errorCode(await disable({}))).toBe('BAD_USER_INPUT');
    const wrong = await disable({ password: `${PASSWORD}-not` });
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect(detailsOf(wrong)).toEqual({ attempts_remaining: 4 });
    expect(dataOf(await disable({ password: PASSWORD }))).toEqual({ disableTwoFactor: true });
    expect(errorCode(await disable({ password: PASSWORD }))).toBe('CONFLICT');
    expect(dataOf(await login(user.email)).login.twoFactor).toBeNull();
  });

  /** Another sign-in of the enrolled user (say, a stolen laptop's), rotated once, and a VERIFIED code a tool holds. */
  async function otherSessionsOf(user: { email: string; secret: string; userId: string }, offsetSteps: number) {
    const challenge = await challengeOf(user.email);
    const other = dataOf(await complete(challenge, codeOf(user.secret, offsetSteps))).completeTwoFactorSignIn;
    const rotated = dataOf(
      await gql<{ refreshToken: { accessToken: string; refreshToken: string } }>(api.url, REFRESH, {
        token: other.refreshToken,
      }),
    ).refreshToken;
    const owner = await api.app.get(UserRepository).findById(user.userId);
    const { code: verified } = await api.app.get(VerifiedSessions).issue(owner!, `gpt-${randomUUID()}`);
    expect(
      (await fetch(`${api.url}/api/v1/sessions/verify`, { headers: { authorization: `Bearer ${verified}` } }))
        .status,
    ).toBe(200);
    return { accessTokens: [other.accessToken!, rotated.accessToken], refreshToken: rotated.refreshToken, verified };
  }

  /** Every token of those sessions is refused at once (no waiting for the access tokens to expire). */
  async function expectEnded(sessions: Awaited<ReturnType<typeof otherSessionsOf>>) {
    for (const token of sessions.accessTokens)
      expect(errorCode(await gql(api.url, ME, undefined, token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(api.url, REFRESH, { token: sessions.refreshToken }))).toBe('UNAUTHENTICATED');
    const verify = await fetch(`${api.url}/api/v1/sessions/verify`, {
      headers: { authorization: `Bearer ${sessions.verified}` },
    });
    expect(verify.status).not.toBe(200);
  }

  it('turning it off ends every other session, the caller’s stays; audited', async () => {
    const user = await enrolledUser();
    const others = await otherSessionsOf(user, 1);
    // Still alive before the change: the assertions after it can fail.
    for (const token of others.accessTokens)
      expect(dataOf(await gql<{ me: { id: string } }>(api.url, ME, undefined, token)).me.id).toBe(user.userId);

    expect(dataOf(await gql(api.url, DISABLE, { input: { password: PASSWORD } }, user.accessToken))).toEqual({
      disableTwoFactor: true,
    });

    await expectEnded(others);
    expect(dataOf(await gql<{ me: { id: string } }>(api.url, ME, undefined, user.accessToken)).me.id).toBe(
      user.userId,
    );
    const refreshed = dataOf(
      await gql<{ refreshToken: { accessToken: string } }>(api.url, REFRESH, { token: user.refreshToken }),
    ).refreshToken;
    expect(dataOf(await gql<{ me: { id: string } }>(api.url, ME, undefined, refreshed.accessToken)).me.id).toBe(
      user.userId,
    );
    const audit = await db.query<{ action: string; details: Record<string, unknown> }[]>(
      `SELECT action, details FROM identity_audit_log WHERE target_id = $1
         AND action IN ('user.two_factor_disabled', 'verified_session.revoked_all') ORDER BY occurred_at, id`,
      [user.userId],
    );
    expect(audit).toEqual([
      { action: 'verified_session.revoked_all', details: { count: 1 } },
      { action: 'user.two_factor_disabled', details: { sessionsEnded: 'others' } },
    ]);
  });

  it('an administrator’s reset ends every session of the user, the one on the lost phone included', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const user = await enrolledUser();
    const others = await otherSessionsOf(user, 1);
    // A session of the owner from before (the console's own) ends too.
    others.accessTokens.push(user.accessToken);
    const untouched = await createSignedInUser(api);

    dataOf(await gql(api.url, RESET, { userId: user.userId }, admin.accessToken));

    await expectEnded(others);
    expect(errorCode(await gql(api.url, REFRESH, { token: user.refreshToken }))).toBe('UNAUTHENTICATED');
    // Only that user's: the administrator and anybody else stay signed in.
    for (const session of [admin, untouched])
      expect(dataOf(await gql<{ me: { id: string } }>(api.url, ME, undefined, session.accessToken)).me.id).toBe(
        session.userId,
      );
    // The owner signs in again with the password alone.
    await expect(signIn(api, user.email)).resolves.toMatchObject({ userId: user.userId });
  });

  it('lets no other way in skip the second factor: verifyEmail of a verified account gives nothing', async () => {
    const user = await enrolledUser();
    const verify = await gql(
      api.url,
      'mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { accessToken twoFactor { purpose } } }',
      { input: { email: user.email, otp: '123456' } },
    );
    expect(errorCode(verify)).toBe('BAD_USER_INPUT');
    expect(verify.data).toBeNull();
  });

  it('leaves API keys working as before', async () => {
    const session = await createSignedInUser(api);
    const created = await gql<{ createApiKey: { secret: string } }>(
      api.url,
      'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: 'script', scopes: ['ai.use'] } },
      session.accessToken,
    );
    const key = dataOf(created).createApiKey.secret;
    const { secret } = dataOf(
      await gql<{ enrolTwoFactor: { secret: string } }>(api.url, ENROL, {}, session.accessToken),
    ).enrolTwoFactor;
    dataOf(await gql(api.url, CONFIRM, { input: { code: codeOf(secret) } }, session.accessToken));
    expect(dataOf(await gql<{ me: { id: string } }>(api.url, ME, undefined, key)).me.id).toBe(session.userId);
    // A key cannot change the account's second factor.
    expect(errorCode(await gql(api.url, ENROL, {}, key))).toBe('UNAUTHENTICATED');
  });

  it('asks a Google sign-in for the code too when the account has two-factor on', async () => {
    const user = await enrolledUser();
    const sub = `1${randomUUID().replace(/\D/g, '').slice(0, 20)}`;
    google.register({ sub, email: user.email, email_verified: true, name: 'Two Factor' });
    const browser = new Browser({ [APP_URL]: api.url });
    browser.setCookie(google.url, GOOGLE_ACCOUNT_COOKIE, sub);
    const start = await browser.open(`${APP_URL}/auth/google`);
    const consent = await browser.open(start.headers.get('location')!);
    const callback = await browser.open(consent.headers.get('location')!);
    const code = new URL(callback.headers.get('location')!).searchParams.get('code')!;

    const exchanged = dataOf(
      await gql<{ exchangeSignInCode: Payload }>(
        api.url,
        `mutation ($code: String!) { exchangeSignInCode(code: $code) { ${PAYLOAD} } }`,
        { code },
      ),
    ).exchangeSignInCode;
    expect(exchanged).toMatchObject({
      accessToken: null,
      refreshToken: null,
      user: { id: user.userId },
      twoFactor: { purpose: 'SIGN_IN' },
    });
    expect(
      errorCode(
        await complete(
          exchanged.twoFactor!.challengeToken,
          '000000' === codeOf(user.secret, 1) ? '111111' : '000000',
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    const signedIn = dataOf(
      await complete(exchanged.twoFactor!.challengeToken, codeOf(user.secret, 1)),
    ).completeTwoFactorSignIn;
    expect(signedIn.accessToken).toEqual(expect.any(String));
    const audit = await db.query<{ details: Record<string, unknown> }[]>(
      `SELECT details FROM identity_audit_log WHERE target_id = $1 AND action = 'user.signed_in' ORDER BY occurred_at DESC, id DESC LIMIT 1`,
      [user.userId],
    );
    expect(audit[0].details).toEqual({ method: 'google', secondFactor: 'totp' });
  });

  it('asks for the code before a Google sign-in gives a third-party tool its VERIFIED code', async () => {
    const user = await enrolledUser();
    const sub = `1${randomUUID().replace(/\D/g, '').slice(0, 20)}`;
    google.register({ sub, email: user.email, email_verified: true, name: 'Two Factor' });
    const browser = new Browser({ [APP_URL]: api.url });
    browser.setCookie(google.url, GOOGLE_ACCOUNT_COOKIE, sub);
    const page = await browser.navigate(
      `${APP_URL}/auth/google?session=gpt-${randomUUID()}&return_to=chatgpt`,
    );
    const form = await page.text();
    expect(page.status).toBe(200);
    expect(form).not.toContain('VERIFIED-');
    expect(form).toContain('action="/auth/google/two-factor"');
    const challengeToken = /name="challengeToken" value="([^"]+)"/.exec(form)?.[1] ?? '';
    expect(challengeToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const submit = (code: string) =>
      fetch(`${api.url}/auth/google/two-factor`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ challengeToken, code }).toString(),
      });
    const good = codeOf(user.secret, 1);
    const wrong = await submit(good === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    const again = await wrong.text();
    expect(again).toContain('Wrong two-factor code');
    expect(again).not.toContain('VERIFIED-');

    const done = await submit(good);
    expect(done.status).toBe(200);
    const verifiedCode = /value="(VERIFIED-[^"]+)"/.exec(await done.text())?.[1] ?? '';
    const verified = await fetch(`${api.url}/api/v1/sessions/verify`, {
      headers: { authorization: `Bearer ${verifiedCode}` },
    });
    expect(((await verified.json()) as { data: { user: { id: string } } }).data.user.id).toBe(user.userId);
    // The challenge is spent: the form cannot be replayed for a second code.
    const replay = await submit(codeOf(user.secret, 1));
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('Sign-in failed');
  });

  it('refuses a console sign-in challenge on the third-party form without spending it', async () => {
    const user = await enrolledUser();
    const challengeToken = await challengeOf(user.email);
    const form = await fetch(`${api.url}/auth/google/two-factor`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ challengeToken, code: codeOf(user.secret, 1) }).toString(),
    });
    expect(form.status).toBe(401);
    expect(await form.text()).toContain('Sign-in failed');
    const signedIn = dataOf(await complete(challengeToken, codeOf(user.secret, 1))).completeTwoFactorSignIn;
    expect(signedIn.accessToken).toEqual(expect.any(String));
  });

  it('lets an administrator reset a user’s second factor, audited; a user cannot', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const other = await createSignedInUser(api, 'USER');
    const user = await enrolledUser();

    expect(errorCode(await gql(api.url, RESET, { userId: user.userId }, other.accessToken))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await gql(api.url, RESET, { userId: randomUUID() }, admin.accessToken))).toBe(
      'NOT_FOUND',
    );
    const detail = '{ twoFactorEnabled }';
    expect(
      dataOf(
        await gql<{ user: { twoFactorEnabled: boolean } }>(
          api.url,
          `query ($id: ID!) { user(id: $id) ${detail} }`,
          { id: user.userId },
          admin.accessToken,
        ),
      ).user.twoFactorEnabled,
    ).toBe(true);

    const reset = dataOf(
      await gql<{ resetUserTwoFactor: { id: string; twoFactorEnabled: boolean } }>(
        api.url,
        RESET,
        { userId: user.userId },
        admin.accessToken,
      ),
    );
    expect(reset.resetUserTwoFactor).toEqual({ id: user.userId, twoFactorEnabled: false });
    const audit = await db.query<{ actor_id: string; details: Record<string, unknown> }[]>(
      `SELECT actor_id, details FROM identity_audit_log WHERE action = 'user.two_factor_reset' AND target_id = $1`,
      [user.userId],
    );
    expect(audit).toEqual([{ actor_id: admin.userId, details: { hadFactor: true, sessionsEnded: 'all' } }]);
    expect(dataOf(await login(user.email)).login).toMatchObject({
      accessToken: expect.any(String),
      twoFactor: null,
    });

    // Nobody resets their own, nor someone of their own rank.
    expect(errorCode(await gql(api.url, RESET, { userId: admin.userId }, admin.accessToken))).toBe(
      'FORBIDDEN',
    );
    const peer = await createUser(api, 'ADMIN');
    expect(errorCode(await gql(api.url, RESET, { userId: peer.id }, admin.accessToken))).toBe('FORBIDDEN');
  });
});

describe('identity: MFA_REQUIRED_FOR_ADMINS', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ MFA_REQUIRED_FOR_ADMINS: 'true' });
  });
  afterAll(() => api.close());

  it('makes an administrator without a second factor enrol before any tokens; users are unaffected', async () => {
    const admin = await createUser(api, 'ADMIN');
    const first = dataOf(
      await gql<{ login: Payload }>(api.url, LOGIN, {
        input: { email: admin.email.value, password: PASSWORD },
      }),
    ).login;
    expect(first).toMatchObject({ accessToken: null, twoFactor: { purpose: 'ENROL' } });
    const challengeToken = first.twoFactor!.challengeToken;
    // An ENROL challenge does not complete a sign-in by itself.
    expect(errorCode(await gql(api.url, COMPLETE, { input: { challengeToken, code: '123456' } }))).toBe(
      'UNAUTHENTICATED',
    );

    const { secret } = dataOf(
      await gql<{ enrolTwoFactor: { secret: string } }>(api.url, ENROL, { challengeToken }),
    ).enrolTwoFactor;
    const confirmed = dataOf(
      await gql<{ confirmTwoFactor: { recoveryCodes: string[]; session: Payload } }>(api.url, CONFIRM, {
        input: { code: codeOf(secret), challengeToken },
      }),
    ).confirmTwoFactor;
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(confirmed.session).toMatchObject({ accessToken: expect.any(String), user: { id: admin.id } });
    // The challenge was spent.
    expect(errorCode(await gql(api.url, ENROL, { challengeToken }))).toBe('UNAUTHENTICATED');

    // Their role must keep it on.
    const token = confirmed.session.accessToken!;
    expect(errorCode(await gql(api.url, DISABLE, { input: { code: codeOf(secret, 1) } }, token))).toBe(
      'FORBIDDEN',
    );
    const next = dataOf(
      await gql<{ login: Payload }>(api.url, LOGIN, {
        input: { email: admin.email.value, password: PASSWORD },
      }),
    ).login;
    expect(next.twoFactor?.purpose).toBe('SIGN_IN');

    // verifyEmail cannot hand an administrator tokens past the policy either (nor anyone, once verified).
    expect(
      errorCode(
        await gql(api.url, 'mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { accessToken } }', {
          input: { email: admin.email.value, otp: '123456' },
        }),
      ),
    ).toBe('BAD_USER_INPUT');

    const user = await createUser(api, 'USER');
    const plain = dataOf(
      await gql<{ login: Payload }>(api.url, LOGIN, {
        input: { email: user.email.value, password: PASSWORD },
      }),
    ).login;
    expect(plain).toMatchObject({ accessToken: expect.any(String), twoFactor: null });
  });

  it('keeps a session that began without a second factor out of administration until one is on', async () => {
    const admin = await createUser(api, 'ADMIN');
    // As a session from before the policy, or from before a promotion or a reset, would be.
    const { accessToken } = await api.app.get(SessionTokens).issue(admin.id);
    const USERS = '{ users { pageInfo { total } } }';
    const refused = await gql(api.url, USERS, undefined, accessToken);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(detailsOf(refused)).toEqual({ reason: 'TWO_FACTOR_REQUIRED' });
    // Their own account still works, enrolment included.
    expect(dataOf(await gql<{ me: { id: string } }>(api.url, ME, undefined, accessToken)).me.id).toBe(admin.id);
    const { secret } = dataOf(
      await gql<{ enrolTwoFactor: { secret: string } }>(api.url, ENROL, {}, accessToken),
    ).enrolTwoFactor;
    dataOf(await gql(api.url, CONFIRM, { input: { code: codeOf(secret) } }, accessToken));
    expect(dataOf(await gql<{ users: { pageInfo: { total: number } } }>(api.url, USERS, undefined, accessToken)).users.pageInfo.total).toBeGreaterThan(0);

    // Managers are not administrators: the policy does not reach them.
    const manager = await createUser(api, 'MANAGER');
    const managerSession = await api.app.get(SessionTokens).issue(manager.id);
    expect(dataOf(await gql(api.url, USERS, undefined, managerSession.accessToken))).toBeDefined();
  });
});
