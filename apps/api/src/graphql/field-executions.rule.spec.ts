import { buildSchema, parse, validate } from 'graphql';
import { fieldExecutionsRule } from './field-executions.rule';

const schema = buildSchema(`
  type Query { version: String }
  type Mutation { register(name: String): String, ping: String }
`);

const limits = (rootType: string, field: string) =>
  rootType === 'Mutation' && field === 'register' ? { authPerIp: true, perOperation: 1 } : undefined;
const errorsFor = (query: string) => validate(schema, parse(query), [fieldExecutionsRule(limits)]);

describe('fieldExecutionsRule', () => {
  it('allows one execution of a limited field, and any number of other fields', () => {
    expect(errorsFor('mutation { register(name: "a") a: ping b: ping }')).toEqual([]);
  });

  it('refuses aliases of a limited field, with the code and the numbers', () => {
    const [error] = errorsFor('mutation { a: register(name: "a") b: register(name: "b") c: register(name: "c") }');
    expect(error.message).toBe('At most 1 "register" per operation: this one asks for 3. Send them separately.');
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'register', count: 3, max: 1 });
  });

  it('counts through named and inline fragments, and a repeated response key once', () => {
    expect(errorsFor('mutation { register(name: "a") ... on Mutation { register(name: "a") } }')).toEqual([]);
    const query = 'mutation { ...one ... on Mutation { b: register(name: "b") } } fragment one on Mutation { a: register(name: "a") }';
    expect(errorsFor(query)).toHaveLength(1);
  });

  it('only looks at the root type the limit names', () => {
    expect(errorsFor('{ a: version b: version }')).toEqual([]);
  });
});
