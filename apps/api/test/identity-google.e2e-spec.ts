import { UserPersonalDataCodec } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Browser } from './support/browser';
import {
  FakeGoogle,
  GOOGLE_ACCOUNT_COOKIE,
  GOOGLE_CONSENT_COOKIE,
  GoogleAccount,
} from './support/fake-google';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, createUser, PASSWORD, signIn, uniqueEmail } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The app's public URL; the test browser resolves it to wherever the test server listens.
const APP_URL = 'http://hub.test';
const EXCHANGE =
  'mutation ($code: String!) { exchangeSignInCode(code: $code) { accessToken refreshToken expiresIn user { id email roles emailVerified } } }';

interface Exchanged {
  exchangeSignInCode: {
    accessToken: string;
    refreshToken: string;
    user: { id: string; email: string; roles: string[]; emailVerified: boolean };
  };
}

describe('identity: Google sign-in (the real passport strategy against a local fake Google)', () => {
  const google = new FakeGoogle();
  let api: TestApp;
  let db: DataSource;
  let admin: { accessToken: string };

  beforeAll(async () => {
    await google.start();
    api = await startTestApp({ ...google.env(), APP_URL });
    db = api.app.get(DataSource);
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await api.close();
    await google.stop();
  });

  const googleAccount = (overrides: Partial<GoogleAccount> = {}): GoogleAccount => ({
    sub: `1${randomUUID().replace(/\D/g, '').slice(0, 20)}`,
    email: uniqueEmail('google'),
    email_verified: true,
    name: 'Grace Hopper',
    ...overrides,
  });

  /** A browser signed in to (fake) Google as the account. */
  const browserOf = (account?: GoogleAccount) => {
    const browser = new Browser({ [APP_URL]: api.url });
    if (account) {
      google.register(account);
      browser.setCookie(google.url, GOOGLE_ACCOUNT_COOKIE, account.sub);
    }
    return browser;
  };

  /** The three hops of a sign-in, each visible: the app → Google → the app's callback. */
  async function roundTrip(browser: Browser, query = '') {
    const start = await browser.open(`${APP_URL}/auth/google${query}`);
    const consent = await browser.open(location(start));
    const callbackUrl = location(consent);
    const callback = await browser.open(callbackUrl);
    return { start, consent, callbackUrl, callback };
  }

  const location = (response: Response) => {
    const value = response.headers.get('location');
    if (!value) throw new Error(`expected a redirect, got ${response.status}`);
    return value;
  };

  const consoleCodeOf = (callback: Response) => {
    const target = new URL(location(callback));
    expect(`${target.origin}${target.pathname}`).toBe(`${APP_URL}/admin/login`);
    return target.searchParams.get('code') ?? '';
  };

  const userRow = async (email: string) =>
    (
      await db.query<
        {
          id: string;
          google_id: string | null;
          password_hash: string | null;
          email_verified_at: Date | null;
          role: string;
        }[]
      >(
        'SELECT id, google_id, password_hash, email_verified_at, role FROM identity_user WHERE email_lookup = ANY($1)',
        [api.app.get(UserPersonalDataCodec).lookups(email)],
      )
    )[0];

  const auditOf = async (userId: string) =>
    db.query<{ action: string; details: Record<string, unknown> | null }[]>(
      'SELECT action, details FROM identity_audit_log WHERE actor_id = $1 OR target_id = $1::text ORDER BY occurred_at, id',
      [userId],
    );

  async function expectErrorPage(response: Response, status: number, text: RegExp) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('เข้าสู่ระบบไม่สำเร็จ');
    expect(page).toContain('Sign-in failed');
    expect(page).toMatch(text);
  }

  it('creates a verified USER for a new Google account, with the same events as an e-mail sign-up', async () => {
    const account = googleAccount();
    const browser = browserOf(account);
    const { start, callback } = await roundTrip(browser);

    expect(start.status).toBe(302);
    expect(start.headers.get('cache-control')).toBe('no-store');
    const stateCookie = start.headers.getSetCookie().find((c) => c.startsWith('sah_google_state='));
    expect(stateCookie).toMatch(/; Path=\/auth\/google/);
    expect(stateCookie).toMatch(/; HttpOnly/);
    expect(stateCookie).toMatch(/; SameSite=Lax/);
    expect(stateCookie).not.toMatch(/; Secure/); // APP_URL is http here
    const authorization = google.authorizations.at(-1);
    expect(authorization?.get('redirect_uri')).toBe(`${APP_URL}/auth/google/callback`);
    expect(authorization?.get('scope')).toBe('openid email profile');
    expect(authorization?.get('state')?.length).toBeGreaterThanOrEqual(43);
    // The Google access token went in a header, never in the userinfo URL.
    expect(google.userinfoCalls.at(-1)).toEqual({
      authorization: expect.stringMatching(/^Bearer ya29\./),
      query: '',
    });

    expect(callback.status).toBe(302);
    expect(callback.headers.get('cache-control')).toBe('no-store');
    expect(consoleCodeOf(callback)).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const row = await userRow(account.email);
    expect(row).toMatchObject({ google_id: account.sub, password_hash: null, role: 'USER' });
    expect(row.email_verified_at).toBeInstanceOf(Date);
    // Identity's own events (the ledger's credit.granted for welcome credits follows asynchronously).
    const events = await db.query<{ type: string }[]>(
      "SELECT type FROM outbox_event WHERE payload->>'userId' = $1 AND type LIKE 'identity.%' ORDER BY type",
      [row.id],
    );
    expect(events.map((e) => e.type)).toEqual(['identity.email_verified', 'identity.user_registered']);
    expect(await auditOf(row.id)).toEqual(
      expect.arrayContaining([
        { action: 'user.registered', details: { method: 'google' } },
        { action: 'user.signed_in', details: { method: 'google' } },
      ]),
    );
  });

  it('gives the console its tokens for a one-time code, never in a URL', async () => {
    const account = googleAccount();
    const browser = browserOf(account);
    const { callback } = await roundTrip(browser);
    const code = consoleCodeOf(callback);

    const exchanged = dataOf(await gql<Exchanged>(api.url, EXCHANGE, { code })).exchangeSignInCode;
    expect(exchanged.user).toMatchObject({ email: account.email, roles: ['USER'], emailVerified: true });
    const me = await gql<{ me: { email: string } }>(
      api.url,
      '{ me { email } }',
      undefined,
      exchanged.accessToken,
    );
    expect(dataOf(me).me.email).toBe(account.email);

    expect(errorCode(await gql(api.url, EXCHANGE, { code }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(api.url, EXCHANGE, { code: 'made-up' }))).toBe('UNAUTHENTICATED');
    for (const url of [...browser.visited, location(callback)]) {
      expect(url).not.toContain(exchanged.accessToken);
      expect(url).not.toContain(exchanged.refreshToken);
    }
  });

  it('links an existing verified account by its e-mail, whatever the case, keeping its password', async () => {
    const existing = await createUser(api);
    const account = googleAccount({ email: existing.email.value.toUpperCase() });
    const { callback } = await roundTrip(browserOf(account));
    const exchanged = dataOf(
      await gql<Exchanged>(api.url, EXCHANGE, { code: consoleCodeOf(callback) }),
    ).exchangeSignInCode;

    expect(exchanged.user.id).toBe(existing.id);
    expect(await userRow(existing.email.value)).toMatchObject({ id: existing.id, google_id: account.sub });
    expect(await auditOf(existing.id)).toContainEqual({
      action: 'user.google_linked',
      details: { verifiedByGoogle: false },
    });
    await expect(signIn(api, existing.email.value, PASSWORD)).resolves.toMatchObject({ userId: existing.id });
  });

  it('never moves an account linked to one Google account to another with the same address', async () => {
    const account = googleAccount();
    const first = await roundTrip(browserOf(account));
    const { id } = dataOf(await gql<Exchanged>(api.url, EXCHANGE, { code: consoleCodeOf(first.callback) }))
      .exchangeSignInCode.user;

    const { callback } = await roundTrip(browserOf(googleAccount({ email: account.email })));
    await expectErrorPage(
      callback,
      409,
      /บัญชีนี้เชื่อมกับบัญชี Google อื่นอยู่แล้ว[\s\S]*already linked to another Google account/,
    );
    expect(await userRow(account.email)).toMatchObject({ id, google_id: account.sub });
    expect(await auditOf(id)).toContainEqual({
      action: 'user.google_sign_in_refused',
      details: { reason: 'linked_to_another_google_account' },
    });
  });

  it('verifies an unverified account it links, and drops the password nobody proved', async () => {
    const email = uniqueEmail('squatter');
    const register = 'mutation ($input: RegisterInput!) { register(input: $input) { id } }';
    const { id } = dataOf(
      await gql<{ register: { id: string } }>(api.url, register, {
        input: { email, password: PASSWORD, name: 'Squatter' },
      }),
    ).register;

    const { callback } = await roundTrip(browserOf(googleAccount({ email })));
    expect(
      dataOf(await gql<Exchanged>(api.url, EXCHANGE, { code: consoleCodeOf(callback) })).exchangeSignInCode
        .user,
    ).toMatchObject({
      id,
      emailVerified: true,
    });
    expect(await userRow(email)).toMatchObject({ password_hash: null });
    expect(
      errorCode(
        await gql(api.url, 'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }', {
          i: { email, password: PASSWORD },
        }),
      ),
    ).toBe('UNAUTHENTICATED');
  });

  it('finds the account by its Google id again, even after the Google address changed', async () => {
    const account = googleAccount();
    const first = await roundTrip(browserOf(account));
    const firstUser = dataOf(await gql<Exchanged>(api.url, EXCHANGE, { code: consoleCodeOf(first.callback) }))
      .exchangeSignInCode.user;

    const renamed = { ...account, email: uniqueEmail('renamed') };
    const again = await roundTrip(browserOf(renamed));
    const secondUser = dataOf(
      await gql<Exchanged>(api.url, EXCHANGE, { code: consoleCodeOf(again.callback) }),
    ).exchangeSignInCode.user;
    expect(secondUser).toMatchObject({ id: firstUser.id, email: account.email });
    expect(await userRow(renamed.email)).toBeUndefined();
  });

  it('refuses a Google account without a verified e-mail address', async () => {
    const account = googleAccount({ email_verified: 'false' });
    const { callback } = await roundTrip(browserOf(account));
    await expectErrorPage(callback, 403, /no verified e-mail address/);
    expect(await userRow(account.email)).toBeUndefined();
  });

  it('refuses a suspended account, and audits it', async () => {
    const user = await createUser(api);
    const suspend = 'mutation ($id: ID!) { setUserSuspended(id: $id, suspended: true) { status } }';
    expect(dataOf(await gql(api.url, suspend, { id: user.id }, admin.accessToken))).toEqual({
      setUserSuspended: { status: 'suspended' },
    });

    const account = googleAccount({ email: user.email.value });
    const { callback } = await roundTrip(browserOf(account));
    await expectErrorPage(callback, 403, /บัญชีนี้ถูกระงับการใช้งาน[\s\S]*This account is suspended/);
    expect(await userRow(user.email.value)).toMatchObject({ google_id: null });
    expect(await auditOf(user.id)).toContainEqual({
      action: 'user.google_sign_in_refused',
      details: { reason: 'suspended' },
    });
  });

  it('ends refused consent on a clear page', async () => {
    const account = googleAccount();
    const browser = browserOf(account);
    browser.setCookie(google.url, GOOGLE_CONSENT_COOKIE, 'deny');
    const { consent, callback } = await roundTrip(browser);
    expect(new URL(location(consent)).searchParams.get('error')).toBe('access_denied');
    await expectErrorPage(callback, 403, /did not allow Smart AI Hub to use your Google account/);
    expect(await userRow(account.email)).toBeUndefined();
  });

  describe('refuses a callback whose state is not this browser’s, once', () => {
    it('without a state, or without any result', async () => {
      const browser = browserOf(googleAccount());
      await browser.open(`${APP_URL}/auth/google`);
      await expectErrorPage(
        await browser.open(`${APP_URL}/auth/google/callback?code=abc`),
        400,
        /carried no state/,
      );
      await expectErrorPage(
        await browser.open(`${APP_URL}/auth/google/callback`),
        400,
        /did not send a sign-in result/,
      );
    });

    it('in a browser that did not start it, or started another one', async () => {
      const account = googleAccount();
      const victim = browserOf(account);
      const start = await victim.open(`${APP_URL}/auth/google`);
      const callbackUrl = location(await victim.open(location(start)));

      await expectErrorPage(await browserOf().open(callbackUrl), 400, /did not start this sign-in/);
      const other = browserOf(account);
      await other.open(`${APP_URL}/auth/google`);
      await expectErrorPage(await other.open(callbackUrl), 400, /started in another browser/);
      expect(await userRow(account.email)).toBeUndefined();
    });

    it('with a state altered on the way', async () => {
      const browser = browserOf(googleAccount());
      const start = await browser.open(`${APP_URL}/auth/google`);
      const callbackUrl = new URL(location(await browser.open(location(start))));
      callbackUrl.searchParams.set('state', `${callbackUrl.searchParams.get('state')}x`);
      await expectErrorPage(await browser.open(callbackUrl.toString()), 400, /started in another browser/);
    });

    it('replayed after it was used, even with the cookie kept', async () => {
      const browser = browserOf(googleAccount());
      const start = await browser.open(`${APP_URL}/auth/google`);
      const callbackUrl = location(await browser.open(location(start)));
      const restoreCookies = browser.saveCookies();
      expect((await browser.open(callbackUrl)).status).toBe(302);
      expect(browser.cookie(APP_URL, 'sah_google_state')).toBeUndefined();

      restoreCookies();
      await expectErrorPage(await browser.open(callbackUrl), 400, /already completed or has expired/);
    });

    it('and audits the refusal', async () => {
      const requestId = `google-refusal-${randomUUID()}`;
      const response = await fetch(`${api.url}/auth/google/callback?code=abc&state=forged`, {
        headers: { 'x-request-id': requestId },
      });
      expect(response.status).toBe(400);
      expect(
        await db.query('SELECT action, details FROM identity_audit_log WHERE request_id = $1', [requestId]),
      ).toEqual([{ action: 'user.google_sign_in_refused', details: { reason: 'state' } }]);
    });
  });

  it.each([
    ['a space in the session', '?session=has%20space', /session must be 1 to 200 URL-safe characters/],
    ['a session of 201 characters', `?session=${'x'.repeat(201)}`, /session must be 1 to 200/],
    ['an unknown return_to', '?session=abc&return_to=evil.example', /return_to must be one of chatgpt/],
    ['two sessions', '?session=a&session=b', /session must be/],
  ])('refuses a start with %s on a page', async (_label, query, message) => {
    await expectErrorPage(await browserOf().open(`${APP_URL}/auth/google${query}`), 400, message);
  });

  it('answers 404 with the REST error body while Google sign-in is not configured', async () => {
    const plain = await startTestApp();
    try {
      for (const path of ['/auth/google', '/auth/google/callback?code=x&state=y']) {
        const response = await fetch(`${plain.url}${path}`, { redirect: 'manual' });
        expect(response.status).toBe(404);
        const body = (await response.json()) as {
          error: { code: string; message: string; request_id: string };
        };
        expect(body.error).toMatchObject({
          code: 'NOT_FOUND',
          message: expect.stringMatching(/Google sign-in is not configured/),
        });
        expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
      }
    } finally {
      await plain.close();
    }
  });
});
