import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';

interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const graphql = async (api: TestApp, query: string, variables?: Record<string, unknown>) => {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphqlResponse };
};

describe('GraphQL at /graphql', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_COMPLEXITY: '10' });
  });
  afterAll(() => api.close());

  it('answers the version and health queries', async () => {
    const { status, body } = await graphql(api, '{ version }');
    expect(status).toBe(200);
    expect(body.data?.version).toBe(api.config.version);
    expect(api.config.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses an operation deeper than the limit before running it', async () => {
    const { status, body } = await graphql(api, '{ health { checks { database } } }');
    expect(status).toBe(400);
    expect(body.errors?.[0].message).toBe('Query is too deep: 3 levels, the limit is 2');
    expect(body.errors?.[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses an operation over the complexity limit', async () => {
    const aliases = Array.from({ length: 11 }, (_, i) => `v${i}: version`).join(' ');
    const { status, body } = await graphql(api, `{ ${aliases} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0].message).toBe('Query is too complex: 11, the limit is 10');
    expect(body.data).toBeUndefined();
  });

  it('calls an unknown field BAD_USER_INPUT, with a request id and no stack trace', async () => {
    const { status, body } = await graphql(api, '{ nope }');
    expect(status).toBe(400);
    const [error] = body.errors ?? [];
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.extensions.request_id).toEqual(expect.any(String));
    expect(error.extensions.stacktrace).toBeUndefined();
  });

  it('calls a wrongly typed variable BAD_USER_INPUT', async () => {
    const { status, body } = await graphql(api, 'query ($n: Int!) { version }', { n: 'not a number' });
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('calls an unknown field in an input variable BAD_USER_INPUT, not a server error', async () => {
    const { status, body } = await graphql(api, 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }', {
      input: { email: 'a@example.com', password: 'x', admin: true },
    });
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0].message).toMatch(/"admin" is not defined/);
  });

  it('matches the committed schema snapshot (apps/api/schema.graphql), which the console builds against', () => {
    const schema = printSchema(lexicographicSortSchema(api.app.get(GraphQLSchemaHost).schema));
    const file = join(__dirname, '../schema.graphql');
    // After a deliberate schema change: UPDATE_GRAPHQL_SCHEMA=1 npx jest -c apps/api/jest.config.cjs -t snapshot
    if (process.env.UPDATE_GRAPHQL_SCHEMA) writeFileSync(file, `${schema}\n`);
    expect(schema.trim()).toBe(readFileSync(file, 'utf8').trim());
  });

  it('allows introspection outside production', async () => {
    const { body } = await graphql(api, '{ __schema { queryType { name } } }');
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('GraphQL in production', () => {
  it('turns introspection off', async () => {
    const api = await startTestApp({ NODE_ENV: 'production', JWT_SECRET: 'a-production-grade-secret-of-32-chars-or-more', ENCRYPTION_KEY: 'ab'.repeat(32), BCRYPT_COST: '12' });
    try {
      const { body } = await graphql(api, '{ __schema { queryType { name } } }');
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0].message).toMatch(/introspection is not allowed/i);
      expect(body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect((await graphql(api, '{ version }')).body.data?.version).toBe(api.config.version);
    } finally {
      await api.close();
    }
  });
});
