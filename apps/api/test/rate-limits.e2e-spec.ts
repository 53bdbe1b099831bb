import { gql } from './support/graphql-client';
import { createSignedInUser, uniqueEmail } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe('rate limits', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({
      RATE_LIMIT_USER_PER_MINUTE: '60',
      RATE_LIMIT_GUEST_PER_MINUTE: '10',
      RATE_LIMIT_AUTH_PER_MINUTE: '10',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000',
    });
  });
  afterAll(() => api.close());

  const me = (token: string) =>
    fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } me2: me { id } }' }),
    });

  it('answers a user’s 61st request in a minute with 429, Retry-After and RATE_LIMITED', async () => {
    const session = await createSignedInUser(api, 'USER');
    for (let i = 1; i <= 60; i++) {
      const res = await me(session.accessToken);
      expect(res.status).toBe(200);
      // Two root fields, one request: counted once.
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(60 - i));
    }
    const refused = await me(session.accessToken);
    const body = (await refused.json()) as {
      errors: { extensions: { code: string; details: { retry_after_seconds: number } } }[];
    };
    expect(refused.status).toBe(429);
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('60');
  });

  it('gives guests 10 requests a minute and admins no limit', async () => {
    const guest = await createSignedInUser(api, 'GUEST');
    const admin = await createSignedInUser(api, 'ADMIN');
    const statuses = async (token: string, n: number) =>
      Promise.all(Array.from({ length: n }, () => me(token).then((r) => r.status)));
    const guestStatuses = await statuses(guest.accessToken, 11);
    expect(guestStatuses.filter((s) => s === 200)).toHaveLength(10);
    expect(guestStatuses.filter((s) => s === 429)).toHaveLength(1);
    expect((await statuses(admin.accessToken, 80)).every((s) => s === 200)).toBe(true);
  });

  it('limits sign-in attempts per IP more strictly than other calls', async () => {
    // A fresh app (own Redis prefix): the sign-ins of the tests above count against the same IP.
    const fresh = await startTestApp({
      RATE_LIMIT_AUTH_PER_MINUTE: '10',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000',
    });
    try {
      await expectSignInLimit(fresh);
    } finally {
      await fresh.close();
    }
  });
});

async function expectSignInLimit(api: TestApp): Promise<void> {
  const login = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }';
  const codes: (string | undefined)[] = [];
  for (let i = 0; i < 11; i++) {
    const result = await gql(api.url, login, {
      input: { email: uniqueEmail('probe'), password: 'Wr0ng-password' },
    });
    codes.push(result.errors?.[0].extensions.code);
  }
  expect(codes.slice(0, 10)).toEqual(Array(10).fill('UNAUTHENTICATED'));
  expect(codes[10]).toBe('RATE_LIMITED');
  // Health checks are never limited.
  expect((await fetch(`${api.url}/health`)).status).toBe(200);
}
