import { API_KEY_PRINCIPAL_TTL_MS } from '../src/contexts/identity/auth/api-key-principal.cache';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const CREATE = 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }';
const REVOKE = 'mutation ($id: ID!) { revokeApiKey(id: $id) }';
const SUSPEND = 'mutation ($id: ID!) { setUserSuspended(id: $id, suspended: true) { id } }';

/**
 * Issue 11: API keys are authenticated from a short-lived cache in each process. A change made through
 * one instance applies there at once and on every other instance within API_KEY_PRINCIPAL_TTL_MS.
 */
describe('API keys: the per-process principal cache', () => {
  let first: TestApp;
  let second: TestApp;

  // Two app starts: on a loaded machine they outlast jest's 30 s hook limit (clean clone run 6, load 9.5).
  // No queue workers: the cache needs none, and they are most of a start's work.
  beforeAll(async () => {
    first = await startTestApp({ WORKERS: 'off' });
    // Another instance of the same deployment: same database and Redis keys, its own process state.
    second = await startTestApp({ WORKERS: 'off', DATABASE_URL: first.config.database.url, REDIS_KEY_PREFIX: first.config.redis.keyPrefix });
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const models = async (api: TestApp, secret: string) => (await fetch(`${api.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } })).status;

  async function keyOf(accessToken: string): Promise<{ id: string; secret: string }> {
    const created = dataOf(await gql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(first.url, CREATE, { input: { name: 'cached', scopes: ['ai.use'] } }, accessToken));
    return { id: created.createApiKey.apiKey.id, secret: created.createApiKey.secret };
  }

  /** Polls the instance until the key is refused; the time it took, from the change. */
  async function refusedAfter(api: TestApp, secret: string, since: number): Promise<number> {
    while ((await models(api, secret)) !== 401) {
      if (Date.now() - since > 10_000) throw new Error('the key was still accepted 10 s after the change');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Date.now() - since;
  }

  it('refuses a revoked key at once on the instance that revoked it, and within the cache lifetime on another', async () => {
    const owner = await createSignedInUser(first);
    const key = await keyOf(owner.accessToken);
    // Both instances have the key in their cache now.
    expect([await models(first, key.secret), await models(second, key.secret)]).toEqual([200, 200]);

    expect(dataOf(await gql(first.url, REVOKE, { id: key.id }, owner.accessToken))).toEqual({ revokeApiKey: true });
    const revokedAt = Date.now();
    expect(await models(first, key.secret)).toBe(401);
    expect(await refusedAfter(second, key.secret, revokedAt)).toBeLessThanOrEqual(API_KEY_PRINCIPAL_TTL_MS + 1_000);
  });

  it("refuses a suspended owner's key on another instance within the cache lifetime", async () => {
    const owner = await createSignedInUser(first);
    const admin = await createSignedInUser(first, 'SUPER_ADMIN');
    const key = await keyOf(owner.accessToken);
    expect(await models(second, key.secret)).toBe(200);

    dataOf(await gql(first.url, SUSPEND, { id: owner.userId }, admin.accessToken));
    const suspendedAt = Date.now();
    expect(await models(first, key.secret)).toBe(401);
    expect(await refusedAfter(second, key.secret, suspendedAt)).toBeLessThanOrEqual(API_KEY_PRINCIPAL_TTL_MS + 1_000);
  });
});
