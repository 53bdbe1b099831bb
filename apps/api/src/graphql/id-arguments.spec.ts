import { buildSchema, graphql, GraphQLSchema } from 'graphql';
import { limitIdArguments, MAX_ID_LENGTH } from './id-arguments';

function schemaWithEcho(): GraphQLSchema {
  const schema = buildSchema('type Query { user(id: ID!): String, find(input: Find): String, name(text: String): String } input Find { ids: [ID!], note: String }');
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) field.resolve = () => 'ran';
  return limitIdArguments(schema);
}

describe('limitIdArguments', () => {
  const schema = schemaWithEcho();
  const run = (source: string, variableValues?: Record<string, unknown>) => graphql({ schema, source, variableValues });
  const long = 'x'.repeat(MAX_ID_LENGTH + 1);

  it('lets ids up to the limit and other text of any length through', async () => {
    expect((await run('query ($id: ID!) { user(id: $id) }', { id: 'x'.repeat(MAX_ID_LENGTH) })).data).toEqual({ user: 'ran' });
    expect((await run('query ($t: String) { name(text: $t) }', { t: long })).data).toEqual({ name: 'ran' });
  });

  it('refuses a longer id, in arguments and in input lists alike, before the resolver runs', async () => {
    const direct = await run('query ($id: ID!) { user(id: $id) }', { id: long });
    expect(direct.data).toEqual({ user: null });
    expect(direct.errors?.[0]?.message).toMatch(/^id is not an id/);

    const nested = await run('query ($input: Find) { find(input: $input) }', { input: { ids: ['a', long] } });
    expect(nested.errors?.[0]?.message).toMatch(/^input\.ids\.1 is not an id/);
  });
});
