import { buildSchema, parse, validate } from 'graphql';
import { depthLimitRule } from './depth-limit.rule';

const schema = buildSchema(`
  type Node { id: ID! child: Node }
  type Query { node: Node }
`);

const errorsFor = (query: string, max: number) => validate(schema, parse(query), [depthLimitRule(max)]);

describe('depthLimitRule', () => {
  it('allows an operation at the limit', () => {
    expect(errorsFor('{ node { child { id } } }', 3)).toEqual([]);
  });

  it('refuses one level more, with the code and the numbers', () => {
    const [error] = errorsFor('{ node { child { child { id } } } }', 3);
    expect(error.message).toBe('Query is too deep: 4 levels, the limit is 3');
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', depth: 4, maxDepth: 3 });
  });

  it('follows named and inline fragments', () => {
    const query = `
      query { node { ...deep } }
      fragment deep on Node { child { ... on Node { child { id } } } }`;
    expect(errorsFor(query, 3)).toHaveLength(1);
    expect(errorsFor(query, 4)).toEqual([]);
  });

  it('does not count introspection', () => {
    expect(errorsFor('{ __schema { types { fields { type { ofType { name } } } } } }', 2)).toEqual([]);
  });
});
