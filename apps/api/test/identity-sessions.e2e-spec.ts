import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/environment';
import { createApiApp } from '../src/create-api-app';
import { REDACTED_PATHS } from '../src/platform/logging/create-logger';
import { createAiUser } from './support/ai-fixtures';
import { Browser } from './support/browser';
import { FakeGoogle, GOOGLE_ACCOUNT_COOKIE } from './support/fake-google';
import { FakeSmtp } from './support/fake-smtp';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, createUser, Session, signIn } from './support/identity-fixtures';
import { redisEntries } from './support/redis-entries';
import { startTestApp, TestApp, testEnv } from './support/test-app';
import { launchChromium } from './support/chromium';

const APP_URL = 'http://hub.test';
const CODE = /^VERIFIED-[A-Za-z0-9_-]{32}$/;
const LIST = '{ verifiedSessions { id externalSessionId createdAt expiresAt } }';
const REVOKE = 'mutation ($id: ID!) { revokeVerifiedSession(id: $id) }';

interface Listed {
  verifiedSessions: { id: string; externalSessionId: string; createdAt: string; expiresAt: string }[];
}

/**
 * One app at a time in this file: passport keeps strategies in a process-wide registry, so a second
 * app configured for Google would take over the first one's strategy.
 */
const google = new FakeGoogle();
beforeAll(() => google.start());
afterAll(() => google.stop());

type GoogleUser = Session & { email: string; googleSub: string };

/** A user with a password (for tokens) and a Google account with the same address. */
async function googleUser(api: TestApp): Promise<GoogleUser> {
  const user = await createUser(api);
  const googleSub = `1${randomUUID().replace(/\D/g, '').slice(0, 20)}`;
  google.register({ sub: googleSub, email: user.email.value, email_verified: true, name: user.name });
  return { ...(await signIn(api, user.email.value)), email: user.email.value, googleSub };
}

/** Signs the user in with Google from a third-party tool's link and reads the code off the page. */
async function issueCode(api: TestApp, user: GoogleUser, externalSessionId = `gpt-${randomUUID()}`) {
  const browser = new Browser({ [APP_URL]: api.url });
  browser.setCookie(google.url, GOOGLE_ACCOUNT_COOKIE, user.googleSub);
  const page = await browser.navigate(
    `${APP_URL}/auth/google?session=${externalSessionId}&return_to=chatgpt`,
  );
  const html = await page.text();
  const code = /value="(VERIFIED-[^"]+)"/.exec(html)?.[1] ?? '';
  return { page, html, code, externalSessionId };
}

const verify = (api: TestApp, code: string, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/api/v1/sessions/verify`, { headers: { authorization: `Bearer ${code}`, ...headers } });

const revoke = (api: TestApp, code: string, bearer?: string) =>
  fetch(`${api.url}/api/v1/sessions/${encodeURIComponent(code)}`, {
    method: 'DELETE',
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
  });

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('identity: VERIFIED session codes for third-party tools', () => {
  const smtp = new FakeSmtp();
  const logs: string[] = [];
  let api: TestApp;
  let admin: Session;

  beforeAll(async () => {
    await smtp.start();
    // Built like startTestApp, with a logger whose lines the tests can read.
    const config = loadConfig(testEnv({ ...google.env(), APP_URL, SMTP_URL: smtp.url }));
    const logger = pino(
      { level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      { write: (line: string) => void logs.push(line) },
    );
    const app = await createApiApp(config, logger);
    await app.listen(0, '127.0.0.1');
    api = { app, config, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() };
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await api.close();
    await smtp.stop();
  });

  it('shows the code on a Thai and English page with no inline script, its script served as a file', async () => {
    const user = await googleUser(api);
    const { page, html, code } = await issueCode(api, user);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(code).toMatch(CODE);
    expect(html).toContain('<html lang="th">');
    expect(html).toMatch(/เข้าสู่ระบบสำเร็จ <span lang="en">Sign-in complete<\/span>/);
    expect(html).toContain('ChatGPT');
    expect(html).toMatch(/<input\s+id="verified-code"\s+type="text"\s+readonly\s+value="VERIFIED-/);
    expect(html).toMatch(/<button id="copy-button" type="button">/);
    expect(html).toMatch(/data-manual="[^"]*Ctrl\+C[^"]*Cmd\+C/);

    // No inline script and no inline event handler: only our script file.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attributes, content]) => [attributes.trim(), content])).toEqual([
      ['src="/auth/assets/verified-session.js" defer', ''],
    ]);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);

    const script = await fetch(`${api.url}/auth/assets/verified-session.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const source = await script.text();
    expect(source).toContain('navigator.clipboard.writeText(input.value)');
    expect(source).toContain("document.execCommand('copy')");
    expect(source).toContain("say('manual')");
  });

  it('copies the code in Chromium: Clipboard API, else execCommand, else a Ctrl/Cmd+C hint', async () => {
    const user = await googleUser(api);
    const chrome = await launchChromium([
      `--host-resolver-rules=MAP hub.test 127.0.0.1:${new URL(api.url).port}`,
      // The Clipboard API needs a secure context; in production APP_URL is https.
      `--unsafely-treat-insecure-origin-as-secure=${APP_URL}`,
    ]);
    /** Signs in from a fresh browser profile, `initScript` first taking away what the browser refuses. */
    const copyWith = async (initScript?: string) => {
      const context = await chrome.newContext();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: APP_URL });
      await context.addCookies([{ name: GOOGLE_ACCOUNT_COOKIE, value: user.googleSub, url: google.url }]);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('pageerror', (error) => problems.push(error.message));
      if (initScript) await page.addInitScript(initScript);
      await page.goto(`${APP_URL}/auth/google?session=browser-${randomUUID()}&return_to=chatgpt`);
      const code = await page.inputValue('#verified-code');
      await page.click('#copy-button');
      await page.waitForFunction(() => document.getElementById('copy-status')?.textContent !== '');
      const result = await page.evaluate(async () => {
        const input = document.getElementById('verified-code') as HTMLInputElement;
        return {
          status: document.getElementById('copy-status')?.textContent,
          clipboard: await navigator.clipboard.readText(),
          selected: input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0),
        };
      });
      await context.close();
      return { code, problems, ...result };
    };
    const refuseClipboardApi = 'navigator.clipboard.writeText = () => Promise.reject(new Error("denied"));';
    try {
      const byApi = await copyWith();
      expect(byApi).toMatchObject({ status: 'คัดลอกแล้ว · Copied', clipboard: byApi.code, problems: [] });
      expect(byApi.code).toMatch(CODE);

      const bySelection = await copyWith(refuseClipboardApi);
      expect(bySelection).toMatchObject({
        status: 'คัดลอกแล้ว · Copied',
        clipboard: bySelection.code,
        problems: [],
      });

      // Both refused: the code is left selected for the person to copy.
      const byHand = await copyWith(`${refuseClipboardApi} document.execCommand = () => false;`);
      expect(byHand.status).toMatch(/Ctrl\+C.*Cmd\+C/);
      expect(byHand).toMatchObject({ selected: byHand.code, problems: [] });
    } finally {
      await chrome.close();
    }
  });

  it('resolves the code to its user, and audits the first use only', async () => {
    const user = await googleUser(api);
    const { code } = await issueCode(api, user);
    const requestId = `verify-${randomUUID()}`;

    const response = await verify(api, code, { 'x-request-id': requestId });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { user: { id: user.userId, email: user.email, name: 'USER tester' } },
      meta: { timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), request_id: requestId },
    });
    expect((await verify(api, code)).status).toBe(200);

    const audit = await api.app
      .get(DataSource)
      .query<{ action: string }[]>(
        "SELECT action FROM identity_audit_log WHERE actor_id = $1 AND action LIKE 'verified_session.%' ORDER BY id",
        [user.userId],
      );
    expect(audit.map((a) => a.action)).toEqual(['verified_session.created', 'verified_session.verified']);
  });

  it('answers 404 for an unknown code and 401 without one', async () => {
    const unknown = await verify(api, `VERIFIED-${'A'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({ code: 'NOT_FOUND', message: 'Unknown session code' });
    expect((await verify(api, 'VERIFIED-short')).status).toBe(404);

    const anonymous = await fetch(`${api.url}/api/v1/sessions/verify`);
    expect(anonymous.status).toBe(401);
    expect(await errorOf(anonymous)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await verify(api, admin.accessToken)).status).toBe(401);
  });

  it('lists the caller’s own sessions without their codes, and revokes them by id', async () => {
    const owner = await googleUser(api);
    const other = await googleUser(api);
    const first = await issueCode(api, owner);
    const second = await issueCode(api, owner);

    const listed = dataOf(await gql<Listed>(api.url, LIST, undefined, owner.accessToken)).verifiedSessions;
    expect(listed.map((s) => s.externalSessionId)).toEqual([
      second.externalSessionId,
      first.externalSessionId,
    ]);
    expect(listed[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(listed[0].expiresAt) - Date.parse(listed[0].createdAt)).toBe(7 * 24 * 60 * 60 * 1000);
    expect(JSON.stringify(listed)).not.toContain('VERIFIED-');
    expect(dataOf(await gql<Listed>(api.url, LIST, undefined, other.accessToken)).verifiedSessions).toEqual(
      [],
    );

    expect(errorCode(await gql(api.url, REVOKE, { id: listed[0].id }, other.accessToken))).toBe('NOT_FOUND');
    expect((await verify(api, second.code)).status).toBe(200);
    expect(dataOf(await gql(api.url, REVOKE, { id: listed[0].id }, owner.accessToken))).toEqual({
      revokeVerifiedSession: true,
    });
    expect((await verify(api, second.code)).status).toBe(404);
    expect((await verify(api, first.code)).status).toBe(200);
    expect(
      dataOf(await gql<Listed>(api.url, LIST, undefined, owner.accessToken)).verifiedSessions.map(
        (s) => s.id,
      ),
    ).toEqual([listed[1].id]);
  });

  it('lets the session’s user (by token or API key) or an admin revoke by code; others get 404', async () => {
    const owner = await googleUser(api);
    const other = await googleUser(api);
    const [byOwner, byAdmin, byKey] = [
      await issueCode(api, owner),
      await issueCode(api, owner),
      await issueCode(api, owner),
    ];

    const refused = await revoke(api, byOwner.code, other.accessToken);
    expect(refused.status).toBe(404);
    expect(await errorOf(refused)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await revoke(api, byOwner.code)).status).toBe(401);
    expect((await verify(api, byOwner.code)).status).toBe(200);

    const revoked = await revoke(api, byOwner.code, owner.accessToken);
    expect(revoked.status).toBe(204);
    expect(await revoked.text()).toBe('');
    expect((await verify(api, byOwner.code)).status).toBe(404);
    expect((await revoke(api, byOwner.code, owner.accessToken)).status).toBe(404);

    expect((await revoke(api, byAdmin.code, admin.accessToken)).status).toBe(204);
    expect((await verify(api, byAdmin.code)).status).toBe(404);

    const key = await gql<{ createApiKey: { secret: string } }>(
      api.url,
      'mutation { createApiKey(input: { name: "tool", scopes: ["ai.use"] }) { secret } }',
      undefined,
      owner.accessToken,
    );
    expect((await revoke(api, byKey.code, dataOf(key).createApiKey.secret)).status).toBe(204);
    expect((await verify(api, byKey.code)).status).toBe(404);
  });

  it('refuses the code of a suspended account with 401', async () => {
    const user = await googleUser(api);
    const { code } = await issueCode(api, user);
    expect((await verify(api, code)).status).toBe(200);

    const suspend = 'mutation ($id: ID!) { setUserSuspended(id: $id, suspended: true) { status } }';
    expect(dataOf(await gql(api.url, suspend, { id: user.userId }, admin.accessToken))).toEqual({
      setUserSuspended: { status: 'suspended' },
    });
    const refused = await verify(api, code);
    expect(refused.status).toBe(401);
    expect(await errorOf(refused)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('revokes every VERIFIED session of a user whose password is reset', async () => {
    const user = await googleUser(api);
    const codes = [(await issueCode(api, user)).code, (await issueCode(api, user)).code];

    await gql(api.url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', {
      email: user.email,
    });
    const token = decodeURIComponent(
      /token=([A-Za-z0-9_%-]+)/.exec(FakeSmtp.decoded(await smtp.waitFor(user.email, /Reset your/)))?.[1] ??
        '',
    );
    const reset = 'mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) }';
    expect(dataOf(await gql(api.url, reset, { input: { token, newPassword: 'N3w-Passphrase' } }))).toEqual({
      resetPassword: true,
    });

    for (const code of codes) expect((await verify(api, code)).status).toBe(404);
    const fresh = await signIn(api, user.email, 'N3w-Passphrase');
    expect(dataOf(await gql<Listed>(api.url, LIST, undefined, fresh.accessToken)).verifiedSessions).toEqual(
      [],
    );
  });

  it('keeps the code out of the database, Redis keys and logs', async () => {
    const firstLine = logs.length;
    const user = await googleUser(api);
    const { code } = await issueCode(api, user);
    await verify(api, code);
    await verify(api, code);
    const [session] = dataOf(await gql<Listed>(api.url, LIST, undefined, user.accessToken)).verifiedSessions;
    await gql(api.url, REVOKE, { id: session.id }, user.accessToken);

    const dump = JSON.stringify(
      await api.app.get(DataSource).query(`
        SELECT (SELECT json_agg(u) FROM identity_user u) AS users,
               (SELECT json_agg(a) FROM identity_audit_log a) AS audit,
               (SELECT json_agg(o) FROM outbox_event o) AS outbox`),
    );
    expect(dump).toContain(session.id);
    expect(dump).not.toContain(code);
    expect(dump).not.toContain(code.slice('VERIFIED-'.length));

    const redis = api.app.get(Redis);
    const keys = await redis.keys(`${api.config.redis.keyPrefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join('\n')).not.toContain(code.slice('VERIFIED-'.length));

    // Revoking by the code itself puts it in the request path: the access log must mask it.
    const second = await issueCode(api, user);
    expect((await revoke(api, second.code, user.accessToken)).status).toBe(204);

    const lines = logs.slice(firstLine).join('');
    expect(lines).toContain('/api/v1/sessions/VERIFIED-[redacted]');
    expect(lines).not.toContain(second.code.slice('VERIFIED-'.length));
    expect(lines).toContain(`"verified_session_id":"${session.id}"`);
    expect(lines).toMatch(/verified session created/);
    expect(lines).toMatch(/verified session revoked/);
    expect(lines).not.toContain(code.slice('VERIFIED-'.length));
  });

  it('keeps the user’s address and name out of Redis: only the code opens them', async () => {
    const user = await googleUser(api);
    const { code } = await issueCode(api, user);
    const response = await verify(api, code);
    expect(((await response.json()) as { data: { user: { email: string } } }).data.user.email).toBe(user.email);

    const entries = await redisEntries(api);
    const record = entries.find((entry) => entry.value.includes(user.userId) && entry.value.includes('"profile"'));
    expect(record).toBeDefined();
    const dump = JSON.stringify(entries);
    expect(dump).not.toContain(user.email);
    expect(dump).not.toContain(user.email.split('@')[0]);
    expect(dump).not.toContain('USER tester');
  });

  it('masks secrets in the access log by their decoded names, as the guard and the router read them', async () => {
    const firstLine = logs.length;
    const user = await createAiUser(api);
    const body = JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] });
    const countTokens = (query: string) =>
      fetch(`${api.url}/v1beta/models/gpt-4o:countTokens?${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    // `%6Bey` is `key` to the auth guard (a 400 about the model, not a 401): the log must treat it alike.
    for (const query of [`%6Bey=${user.apiKey}`, `ke%79=${user.apiKey}&alt=sse`]) {
      const response = await countTokens(query);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
    expect((await countTokens(`KEY=${user.apiKey}`)).status).toBe(401);
    // `%56ERIFIED-…` is the code to the router too: it revokes.
    const owner = await googleUser(api);
    const { code } = await issueCode(api, owner);
    const encoded = await fetch(`${api.url}/api/v1/sessions/%56${code.slice(1)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    expect(encoded.status).toBe(204);

    const lines = logs.slice(firstLine).join('');
    expect(lines).toContain('gpt-4o:countTokens?%6Bey=[redacted]');
    expect(lines).toContain('/api/v1/sessions/VERIFIED-[redacted]');
    expect(lines).not.toContain(user.apiKey.slice('sah_'.length));
    expect(lines).not.toContain(code.slice('VERIFIED-'.length));
  });
});

describe('identity: VERIFIED session expiry', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ ...google.env(), APP_URL, VERIFIED_SESSION_TTL_SECONDS: '1' });
  });
  afterAll(() => api.close());

  it('answers 401 for an expired code (not 404), and no longer lists it', async () => {
    const user = await googleUser(api);
    const { code } = await issueCode(api, user);
    expect((await verify(api, code)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const expired = await verify(api, code);
    expect(expired.status).toBe(401);
    expect(await errorOf(expired)).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/expired/),
    });
    expect(dataOf(await gql<Listed>(api.url, LIST, undefined, user.accessToken)).verifiedSessions).toEqual(
      [],
    );

    expect((await revoke(api, code, user.accessToken)).status).toBe(204);
    expect((await verify(api, code)).status).toBe(404);
  });
});
