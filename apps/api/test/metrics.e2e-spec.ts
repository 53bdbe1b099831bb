import { parseEnvironment } from '../src/config/environment';
import { startTestApp, TestApp } from './support/test-app';

describe('GET /metrics', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('exposes process metrics and request durations by route, operation and status', async () => {
    await fetch(`${api.url}/health`);
    await fetch(`${api.url}/health/../nope`);
    await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query ProbeVersion { version }', operationName: 'ProbeVersion' }),
    });

    const res = await fetch(`${api.url}/metrics`);
    const text = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} 1$/m);
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1$/m);
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="POST",route="\/graphql",status_code="200"\} 1$/m);
    expect(text).toMatch(/^graphql_operation_duration_seconds_count\{operation="ProbeVersion",type="query",status="ok"\} 1$/m);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'scrape-token-of-at-least-32-characters';
  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-grade-secret-of-32-chars-or-more', ENCRYPTION_KEY: 'ab'.repeat(32), BCRYPT_COST: '12' };
  const scrape = (api: TestApp, authorization?: string) =>
    fetch(`${api.url}/metrics`, { headers: authorization ? { authorization } : {} });

  it('answers only the bearer of the token, with the contract error otherwise', async () => {
    const api = await startTestApp({ ...production, METRICS_TOKEN: token });
    try {
      for (const authorization of [undefined, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, token]) {
        const refused = await scrape(api, authorization);
        expect(refused.status).toBe(401);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      }
      const res = await scrape(api, `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^process_resident_memory_bytes \d+/m);
    } finally {
      await api.close();
    }
  });

  it('is off in production without a token', async () => {
    const api = await startTestApp(production);
    try {
      const res = await scrape(api);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    } finally {
      await api.close();
    }
  });

  it('refuses a short token at start, naming it', () => {
    expect(() => parseEnvironment({ METRICS_TOKEN: 'too-short' })).toThrow(/METRICS_TOKEN/);
    expect(() => parseEnvironment({ METRICS_TOKEN: `${token} with spaces` })).toThrow(/METRICS_TOKEN/);
    expect(parseEnvironment({ METRICS_TOKEN: token }).metrics.token).toBe(token);
  });
});
