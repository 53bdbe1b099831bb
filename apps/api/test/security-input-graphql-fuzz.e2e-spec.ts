import {
  astFromValue,
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLSchema,
  IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  print,
} from 'graphql';
import { randomUUID } from 'node:crypto';
import { dataOf, gql, GraphqlResult } from './support/graphql-client';
import { gqlWs } from './support/graphql-ws-client';
import { createSignedInUser, PASSWORD, Session, uniqueEmail } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Walks the running app's schema and sends, for every Query and Mutation field and every String, ID
 * and DateTime position among its arguments (nested input fields and lists included), text the
 * database cannot store and values no parser should accept, each once as a variable and once as a
 * literal. Everything else gets a valid value where one can be guessed, so the bad value is what the
 * server has to deal with. No answer may be a 500 or an INTERNAL_SERVER_ERROR, and all but the
 * over-long strings (which some fields take) must be refused as BAD_USER_INPUT.
 */

type Path = (string | number)[];
interface Position {
  arg: GraphQLArgument;
  /** Input field names from the argument down to the text; 0 for a list's first item. */
  path: Path;
  scalar: string;
}

const TEXT_SCALARS = new Set(['String', 'ID', 'DateTime']);
// Longer than any limit but the chat texts' and the adjustment file's, which may be this long.
const OVER_LONG = 'x'.repeat(20_000);
const FIELDS_AT_ONCE = 3;
// Several hundred requests each: about 15 s on two busy cores, so more than the suite's 30 s default.
const FUZZ_BUDGET_MS = 60_000;
// One of each kind: the unit tests of the pipe and the DateTime scalar go through the variants.
const BAD_TEXT = { nul: 'a\u0000b', 'lone surrogate': '\ud800', 'over-long': OVER_LONG };
const BAD_DATES = { 'not a date': 'not-a-date', 'impossible date': '2026-02-30T10:00:00Z' };

/** Valid values by input field or argument name, where a generic one would be refused first. */
function validByName(name: string, scalar: string, session: Session): unknown {
  const known: Record<string, unknown> = {
    email: uniqueEmail('fuzz'),
    password: PASSWORD,
    currentPassword: PASSWORD,
    newPassword: `${PASSWORD}-new`,
    name: 'Fuzz',
    userId: session.userId,
    successUrl: 'https://example.com/paid',
    cancelUrl: 'https://example.com/cancelled',
    month: '2026-01',
    package: 'starter',
    provider: 'openai',
    role: scalar === 'String' ? 'user' : undefined,
    code: `FUZZ${randomUUID().slice(0, 8)}`.toUpperCase(),
    csv: 'user,amount,reason\n',
    reason: 'fuzzing',
  };
  return known[name];
}

function validValue(type: GraphQLInputType, name: string, session: Session, depth = 0): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, name, session, depth);
  if (isListType(type)) {
    if (name === 'scopes') return ['ai.use'];
    return [validValue(type.ofType, name, session, depth)];
  }
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = validValue(field.type, field.name, session, depth + 1);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0].value;
  const byName = validByName(name, type.name, session);
  if (byName !== undefined) return byName;
  switch (type.name) {
    case 'String':
      return 'fuzz';
    case 'ID':
      return randomUUID();
    case 'DateTime':
      return new Date().toISOString();
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    default:
      return {};
  }
}

/** Every String/ID/DateTime position below an input type (recursive input types are cut at depth 4). */
function textPositions(type: GraphQLInputType, path: Path, depth = 0): { path: Path; scalar: string }[] {
  if (isNonNullType(type)) return textPositions(type.ofType, path, depth);
  if (isListType(type)) return textPositions(type.ofType, [...path, 0], depth);
  if (isInputObjectType(type)) {
    if (depth > 4) return [];
    return Object.values(type.getFields()).flatMap((field) => textPositions(field.type, [...path, field.name], depth + 1));
  }
  return isLeafType(type) && TEXT_SCALARS.has(type.name) ? [{ path, scalar: type.name }] : [];
}

/** A valid value of `type` with `bad` at `path`, optional input fields on the way included. */
function valueWith(type: GraphQLInputType, name: string, path: Path, bad: string, session: Session): unknown {
  if (isNonNullType(type)) return valueWith(type.ofType, name, path, bad, session);
  const [head, ...rest] = path;
  if (head === undefined) return bad;
  if (isListType(type)) return [valueWith(type.ofType, name, rest, bad, session)];
  if (!isInputObjectType(type)) throw new Error(`no input field ${head} in ${type.name}`);
  const field = type.getFields()[head];
  return { ...(validValue(type, name, session) as object), [field.name]: valueWith(field.type, field.name, rest, bad, session) };
}

function printLiteral(value: unknown, type: GraphQLInputType): string {
  const ast = astFromValue(value, type);
  if (!ast) throw new Error(`cannot write ${JSON.stringify(value)} as a ${type.toString()} literal`);
  return print(ast);
}

function operationFor(kind: string, field: GraphQLField<unknown, unknown>, values: Record<string, unknown>, literal: boolean) {
  const args = field.args.filter((arg) => values[arg.name] !== undefined);
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  if (literal) {
    const printed = args.map((arg) => `${arg.name}: ${printLiteral(values[arg.name], arg.type)}`).join(', ');
    return { query: `${kind} { ${field.name}${printed ? `(${printed})` : ''}${selection} }`, variables: {} };
  }
  const declared = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return {
    query: `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((arg) => [arg.name, values[arg.name]])),
  };
}

type Kind = 'query' | 'mutation' | 'subscription';
type Transport = 'http' | 'graphql-ws';
/** For a bad value's label, how to send it: as a variable (false), as a literal (true), both or not at all. */
type Forms = (label: string) => boolean[];

// Surrogates cannot be written into a literal (the lexer refuses them) and an over-long literal is the
// same string once parsed: literals are worth sending for NUL (an escape) and dates (parseLiteral).
const HTTP_FORMS: Forms = (label) => (label in BAD_DATES || label === 'nul' ? [false, true] : [false]);
// Over graphql-ws the question is whether the same checks run at all: one of each kind of bad value.
const WS_FORMS: Forms = (label) => (label in BAD_DATES || label === 'nul' || label === 'lone surrogate' ? [false] : []);

describe('security: no text or date argument of any GraphQL operation can cause an internal error', () => {
  let api: TestApp;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    api = await startTestApp();
    const introspection = await gql<IntrospectionQuery>(api.url, getIntrospectionQuery());
    schema = buildClientSchema(dataOf(introspection));
  });
  afterAll(() => api.close());

  const rootFields = (kinds: Kind[]) =>
    kinds.flatMap((kind) => {
      const root = kind === 'query' ? schema.getQueryType() : kind === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      return Object.values(root?.getFields() ?? {}).map((field) => ({ kind, field }));
    });

  /** Sends every bad value to every text position of one field; returns what went wrong and how much was sent. */
  async function fuzzField(kind: Kind, field: GraphQLField<unknown, unknown>, transport: Transport, forms: Forms) {
    const positions: Position[] = field.args.flatMap((arg) => textPositions(arg.type, []).map((p) => ({ arg, ...p })));
    if (positions.length === 0) return { failures: [], sent: 0 };
    // A fresh super admin per operation: logout, password changes or deletions must not spoil the rest.
    const session = await createSignedInUser(api, 'SUPER_ADMIN');
    const cases = positions.flatMap((position) =>
      Object.entries(position.scalar === 'DateTime' ? { ...BAD_TEXT, ...BAD_DATES } : BAD_TEXT).map(([label, bad]) => ({ position, label, bad })),
    );
    const results = await Promise.all(
      cases.flatMap(({ position, label, bad }) =>
        forms(label).map(async (literal) => {
          const values: Record<string, unknown> = {};
          for (const arg of field.args) {
            values[arg.name] =
              arg === position.arg
                ? valueWith(arg.type, arg.name, position.path, bad, session)
                : isNonNullType(arg.type) && arg.defaultValue === undefined
                  ? validValue(arg.type, arg.name, session)
                  : undefined;
          }
          const { query, variables } = operationFor(kind, field, values, literal);
          const result: Partial<GraphqlResult> =
            transport === 'http' ? await gql(api.url, query, variables, session.accessToken) : await gqlWs(api.url, query, variables, session.accessToken);
          const codes = new Set(result.errors?.map((error) => error.extensions.code));
          // Over-long text is fine where a field takes long text (answered as it deserves: not found,
          // unauthenticated…); an over-long id and every other bad value must be refused as bad input.
          const mayPass = label === 'over-long' && position.scalar === 'String';
          const wrong = (result.status ?? 200) >= 500 || codes.has('INTERNAL_SERVER_ERROR') || (!mayPass && !codes.has('BAD_USER_INPUT'));
          const where = `${transport} ${field.name}(${[position.arg.name, ...position.path].join('.')}) ${label} as ${literal ? 'literal' : 'variable'}`;
          return wrong ? `${where}: ${result.status ?? ''} ${[...codes].join()} ${JSON.stringify(result.errors?.[0]?.message)}` : undefined;
        }),
      ),
    );
    return { failures: results.filter((failure): failure is string => failure !== undefined), sent: results.length };
  }

  /** A few fields at a time: enough to keep both cores busy, few enough not to drown the server in sockets. */
  async function fuzz(kinds: Kind[], transport: Transport, forms: Forms) {
    const fields = rootFields(kinds);
    const outcomes: { failures: string[]; sent: number }[] = [];
    for (let i = 0; i < fields.length; i += FIELDS_AT_ONCE) {
      outcomes.push(...(await Promise.all(fields.slice(i, i + FIELDS_AT_ONCE).map(({ kind, field }) => fuzzField(kind, field, transport, forms)))));
    }
    return { failures: outcomes.flatMap((outcome) => outcome.failures), sent: outcomes.reduce((sum, outcome) => sum + outcome.sent, 0) };
  }

  it('over HTTP: refuses NUL, lone surrogates and invalid dates in every query and mutation as BAD_USER_INPUT, and over-long strings without INTERNAL_SERVER_ERROR', async () => {
    const { failures, sent } = await fuzz(['query', 'mutation'], 'http', HTTP_FORMS);
    expect(sent).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  }, FUZZ_BUDGET_MS);

  it('over graphql-ws: the same checks for every subscription, query and mutation', async () => {
    const { failures, sent } = await fuzz(['subscription', 'query', 'mutation'], 'graphql-ws', WS_FORMS);
    expect(sent).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  }, FUZZ_BUDGET_MS);
});
