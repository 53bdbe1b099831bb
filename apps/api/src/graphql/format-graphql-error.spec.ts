import { ForbiddenException } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { GraphQLError } from 'graphql';
import { formatGraphqlError } from './format-graphql-error';

/** What graphql-js hands Apollo when a resolver throws: located at a path, wrapping the original. */
const resolverError = (original: Error) =>
  new GraphQLError(original.message, {
    path: ['field'],
    originalError: original,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });

describe('formatGraphqlError', () => {
  const format = formatGraphqlError(false);

  it('gives domain errors their code and details', () => {
    const original = new DomainError('INSUFFICIENT_CREDITS', 'Not enough credits', { balance: 1 });
    const result = format({ message: original.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, resolverError(original));
    expect(result.message).toBe('Not enough credits');
    expect(result.extensions).toEqual({ code: 'INSUFFICIENT_CREDITS', details: { balance: 1 } });
  });

  it('maps Nest HTTP exceptions by status', () => {
    const original = new ForbiddenException('Not yours');
    const result = format({ message: 'Not yours' }, resolverError(original));
    expect(result.extensions?.code).toBe('FORBIDDEN');
  });

  it('calls parse and validation failures BAD_USER_INPUT', () => {
    for (const code of ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']) {
      const result = format({ message: 'Cannot query field "nope"', extensions: { code } }, new GraphQLError('x'));
      expect(result.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.message).toBe('Cannot query field "nope"');
    }
  });

  it('hides unexpected errors and their stack outside development', () => {
    const result = format(
      { message: 'connection to db:5432 refused', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
      resolverError(new Error('connection to db:5432 refused')),
    );
    expect(result.message).toBe('Internal server error');
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('drops "Did you mean" suggestions (schema names) outside development', () => {
    const formatted = { message: 'Cannot query field "versio" on type "Query". Did you mean "version" or "versions"?', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(format(formatted, new GraphQLError('x')).message).toBe('Cannot query field "versio" on type "Query".');
    expect(formatGraphqlError(true)(formatted, new GraphQLError('x')).message).toBe(formatted.message);
  });

  it('keeps the stack trace in development', () => {
    const result = formatGraphqlError(true)(
      { message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
      resolverError(new Error('boom')),
    );
    expect(result.message).toBe('boom');
    expect(result.extensions?.stacktrace).toEqual(['at x']);
  });
});
