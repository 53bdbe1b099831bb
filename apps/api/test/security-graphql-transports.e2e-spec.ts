import { gql } from './support/graphql-client';
import { gqlWs, WsResult } from './support/graphql-ws-client';
import { PASSWORD, uniqueEmail } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

type Transport = 'http' | 'graphql-ws';

interface Rule {
  rule: string;
  query: string;
  code: string;
  message: RegExp;
}

const aliases = (count: number, field: string) => Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');

/** One operation per rule of the shared rule set, each refused the same way whatever the transport. */
const RULES: Rule[] = [
  { rule: 'depth', query: '{ health { checks { database } } }', code: 'QUERY_TOO_COMPLEX', message: /^Query is too deep: 3 levels, the limit is 2$/ },
  { rule: 'complexity (aliases)', query: `{ ${aliases(3000, 'version')} }`, code: 'QUERY_TOO_COMPLEX', message: /^Query is too complex: 3000, the limit is 10$/ },
  {
    rule: 'variables, coerced before the estimate',
    query: 'query ($skip: Boolean!) { a: version b: version @skip(if: $skip) }',
    code: 'BAD_USER_INPUT',
    message: /Variable "\$skip" of required type "Boolean!" was not provided/,
  },
  {
    rule: 'executions per operation',
    query: `mutation { a: register(input: { email: "${uniqueEmail()}", password: "${PASSWORD}", name: "A" }) { id } b: register(input: { email: "${uniqueEmail()}", password: "${PASSWORD}", name: "B" }) { id } }`,
    code: 'BAD_USER_INPUT',
    message: /^At most 1 "register" per operation/,
  },
  { rule: 'introspection (__schema)', query: '{ __schema { queryType { name } } }', code: 'BAD_USER_INPUT', message: /introspection is not allowed/ },
  { rule: 'introspection (__type)', query: '{ __type(name: "Query") { name } }', code: 'BAD_USER_INPUT', message: /introspection is not allowed/ },
  { rule: 'graphql validation', query: '{ version { nope } }', code: 'BAD_USER_INPUT', message: /must not have a selection/ },
  { rule: 'syntax', query: '{ version', code: 'BAD_USER_INPUT', message: /^Syntax Error/ },
  { rule: 'authentication', query: '{ me { id } }', code: 'UNAUTHENTICATED', message: /./ },
];

describe('one rule set for every GraphQL operation, over HTTP and graphql-ws (production)', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-grade-secret-of-32-chars-or-more',
      ENCRYPTION_KEY: 'ab'.repeat(32),
      BCRYPT_COST: '12',
      GRAPHQL_MAX_DEPTH: '2',
      GRAPHQL_MAX_COMPLEXITY: '10',
    });
  });
  afterAll(() => api.close());

  const run = (transport: Transport, query: string): Promise<WsResult> =>
    transport === 'http' ? gql(api.url, query) : gqlWs(api.url, query);

  const cases = (['http', 'graphql-ws'] as const).flatMap((transport) => RULES.map((rule) => ({ ...rule, transport })));

  it.each(cases)('$rule over $transport', async ({ query, code, message, transport }) => {
    const result = await run(transport, query);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0].extensions.code).toBe(code);
    expect(result.errors?.[0].message).toMatch(message);
    expect(result.errors?.[0].extensions.stacktrace).toBeUndefined();
    expect(result.errors?.[0].extensions.http).toBeUndefined();
  });

  it.each(['http', 'graphql-ws'] as const)('names no schema fields in "Did you mean" suggestions over %s', async (transport) => {
    const result = await run(transport, '{ versio }');
    expect(result.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe('Cannot query field "versio" on type "Query".');
  });

  it.each(['http', 'graphql-ws'] as const)('still answers an operation within the rules over %s', async (transport) => {
    const result = await run(transport, `{ ${aliases(10, 'version')} }`);
    expect(result.errors).toBeUndefined();
    expect(result.data?.a9).toBe(api.config.version);
  });
});
