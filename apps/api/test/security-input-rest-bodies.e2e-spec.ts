import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MAX_JSON_DEPTH } from '../src/platform/http/json-depth';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

interface Route {
  method: string;
  path: string;
}

/** Express 5's router layers, as Nest registered them: every route with a body-taking method. */
function bodyRoutes(api: TestApp): Route[] {
  const express = api.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods)
          .filter((method) => ['post', 'put', 'patch'].includes(method))
          .map((method) => ({ method: method.toUpperCase(), path: route.path }))
      : [],
  );
}

/** A concrete URL for a route pattern: every parameter gets a well-formed id. */
const concrete = (path: string) => path.replace(/:(\w+)/g, () => randomUUID());

/** The compatible endpoints (OpenAI's, Anthropic's, Gemini's) answer in their provider's format; everything else in the contract's. */
function expectBadRequest(path: string, status: number, body: Record<string, unknown>) {
  expect({ path, status }).toEqual({ path, status: 400 });
  if (path.startsWith('/v1/messages')) {
    expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.any(String) } });
  } else if (path.startsWith('/v1/')) {
    expect(body).toMatchObject({ error: { type: 'invalid_request_error', message: expect.any(String), code: 'bad_user_input' } });
  } else if (path.startsWith('/v1beta/')) {
    expect(body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.any(String) } });
  } else {
    expect(body).toMatchObject({ error: { code: 'BAD_USER_INPUT', message: expect.any(String), request_id: expect.any(String) } });
  }
}

const nested = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

describe('security: REST bodies with a false encoding or deep nesting get 400, never 500 (every body route)', () => {
  let api: TestApp;
  let routes: Route[];
  let headers: Record<string, string>;

  beforeAll(async () => {
    api = await startTestApp();
    // Apollo is mounted as middleware, not as a route the router lists.
    routes = [...bodyRoutes(api), { method: 'POST', path: '/graphql' }];
    // Signed in as an admin so that, were the parser to let the body through, it would reach the handlers.
    const admin = await createSignedInUser(api, 'ADMIN');
    headers = { authorization: `Bearer ${admin.accessToken}`, 'x-user-id': admin.userId, 'stripe-signature': 't=1,v1=00' };
  });
  afterAll(() => api.close());

  const send = async (route: Route, body: string, extra: Record<string, string> = {}) => {
    const res = await fetch(`${api.url}${concrete(route.path)}`, {
      method: route.method,
      headers: { 'content-type': 'application/json', ...headers, ...extra },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  };

  it('finds the body routes in the router, the partner API and the Stripe webhook among them', () => {
    const paths = routes.map((route) => `${route.method} ${route.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'POST /api/mcp/v1/credits/check',
        'POST /api/mcp/v1/credits/deduct',
        'POST /api/v1/payments/checkout',
        'POST /api/v1/payments/stripe/webhook',
        'POST /v1/chat/completions',
        'POST /v1/messages',
      ]),
    );
  });

  it.each(['gzip', 'br', 'deflate'])('answers a plain body declared %s with 400', async (encoding) => {
    for (const route of routes) {
      const { status, body } = await send(route, '{"package":"starter"}', { 'content-encoding': encoding });
      expectBadRequest(route.path, status, body);
    }
  });

  it('still accepts a body that really is gzip-compressed', async () => {
    const res = await fetch(`${api.url}/api/v1/payments/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers },
      body: gzipSync(JSON.stringify({ package: 'no-such-package' })),
    });
    // Decoded and validated: the package is unknown, which only a parsed body can tell.
    expect(await res.json()).toMatchObject({ error: { message: expect.not.stringMatching(/Content-Encoding/) } });
    expect(res.status).not.toBe(500);
  });

  it(`answers JSON nested deeper than ${MAX_JSON_DEPTH} levels with 400, and 2,000 levels too`, async () => {
    for (const route of routes) {
      for (const depth of [MAX_JSON_DEPTH + 1, 2_000]) {
        const { status, body } = await send(route, nested(depth));
        expectBadRequest(route.path, status, body);
      }
    }
  });

  it(`still parses JSON nested exactly ${MAX_JSON_DEPTH} levels deep`, async () => {
    const checkout = { method: 'POST', path: '/api/v1/payments/checkout' };
    const atLimit = await send(checkout, nested(MAX_JSON_DEPTH));
    // Past the parser: the checkout's own validation refuses the unknown field.
    expect(atLimit.body).toMatchObject({ error: { code: 'BAD_USER_INPUT', message: 'Invalid input' } });
    const deeper = await send(checkout, nested(MAX_JSON_DEPTH + 1));
    expect(deeper.body).toMatchObject({ error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/nested more than/) } });
  });
});
