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
