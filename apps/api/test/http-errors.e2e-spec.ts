import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';

const REQUEST_ID = /^[0-9a-f-]{36}$/;

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; timestamp: string; request_id: string };
}

/** The contract's REST error body, checked whole. */
function expectErrorBody(res: Response, body: ErrorBody, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(new Date(body.error.timestamp).toISOString()).toBe(body.error.timestamp);
  expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
}

describe('HTTP edge: errors, request ids, headers, CORS, admin console', () => {
  let api: TestApp;
  let adminDir: string;

  beforeAll(async () => {
    adminDir = mkdtempSync(join(tmpdir(), 'sah-admin-'));
    writeFileSync(join(adminDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(adminDir, 'main-ABC123.js'), 'console.log(1)');
    api = await startTestApp({ BODY_LIMIT: '1kb', CORS_ORIGINS: 'https://console.example.com', ADMIN_DIST_DIR: adminDir });
  });

  afterAll(async () => {
    await api.close();
    rmSync(adminDir, { recursive: true, force: true });
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it.each(['/graphql', '/api/v1/anything'])('answers malformed JSON to %s with 400 and the error body', async (path) => {
    const res = await post(path, '{"query": ');
    const body = (await res.json()) as ErrorBody;
    expectErrorBody(res, body, 400, 'BAD_USER_INPUT');
    expect(body.error.message).toBe('Malformed JSON in request body');
    expect(body.error.request_id).toMatch(REQUEST_ID);
  });

  it('refuses a body over the configured limit with 413', async () => {
    const res = await post('/graphql', JSON.stringify({ query: `{ version }`, padding: 'x'.repeat(2048) }));
    const body = (await res.json()) as ErrorBody;
    expectErrorBody(res, body, 413, 'PAYLOAD_TOO_LARGE');
    expect(body.error.details).toEqual({ limit_bytes: 1024 });
  });

  it('answers unknown routes with 404 in the same shape', async () => {
    const res = await fetch(`${api.url}/api/v1/does-not-exist`);
    expectErrorBody(res, (await res.json()) as ErrorBody, 404, 'NOT_FOUND');
  });

  it('echoes a valid X-Request-Id and replaces an unsafe one', async () => {
    const echoed = await fetch(`${api.url}/health`, { headers: { 'X-Request-Id': 'client-trace-0001' } });
    expect(echoed.headers.get('x-request-id')).toBe('client-trace-0001');

    const replaced = await fetch(`${api.url}/health`, { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(REQUEST_ID);
  });

  it('sends the security headers on every response', async () => {
    const res = await fetch(`${api.url}/does-not-exist`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('allows CORS only for configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/graphql`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
    expect((await preflight('https://console.example.com')).headers.get('access-control-allow-origin')).toBe(
      'https://console.example.com',
    );
    expect((await preflight('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the console: files as they are, deep links as index.html, /admin redirected', async () => {
    const asset = await fetch(`${api.url}/admin/main-ABC123.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log(1)');

    const deepLink = await fetch(`${api.url}/admin/users/42`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain('<title>console</title>');
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');

    const root = await fetch(`${api.url}/admin`, { redirect: 'manual' });
    expect(root.status).toBe(301);
    expect(root.headers.get('location')).toBe('/admin/');
  });
});

describe('admin console not built', () => {
  it('says how to build it instead of failing obscurely', async () => {
    const api = await startTestApp({ ADMIN_DIST_DIR: join(tmpdir(), 'sah-no-such-console') });
    try {
      const res = await fetch(`${api.url}/admin/`);
      const body = (await res.json()) as ErrorBody;
      expectErrorBody(res, body, 503, 'SERVICE_UNAVAILABLE');
      expect(body.error.message).toMatch(/npm run build/);
    } finally {
      await api.close();
    }
  });
});
