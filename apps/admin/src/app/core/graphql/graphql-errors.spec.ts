import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

import { toAppError } from './graphql-errors';

describe('toAppError', () => {
  it('keeps the server message and extensions.code of the first GraphQL error', () => {
    const error = new CombinedGraphQLErrors({
      errors: [{ message: 'Not enough credits: 3 needed', extensions: { code: 'INSUFFICIENT_CREDITS' } }],
    });

    expect(toAppError(error)).toEqual({
      code: 'INSUFFICIENT_CREDITS',
      message: 'Not enough credits: 3 needed',
    });
  });

  it('hides internal error details behind a generic sentence', () => {
    const error = new CombinedGraphQLErrors({
      errors: [{ message: 'relation "users" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });

    expect(toAppError(error).message).not.toContain('relation');
  });

  it('reads GraphQL errors out of a non-2xx HTTP response body', () => {
    const body = {
      errors: [
        {
          message: 'Cannot query field "login" on type "Mutation".',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    };
    const error = new ServerError('Response not successful: Received status code 400', {
      response: { status: 400 } as Response,
      bodyText: JSON.stringify(body),
    });

    expect(toAppError(error)).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Cannot query field "login" on type "Mutation".',
    });
  });

  it('reports transport failures as a network error', () => {
    expect(toAppError(new Error('Http failure response for /graphql: 0 Unknown Error')).code).toBe(
      'NETWORK_ERROR',
    );
  });
});
