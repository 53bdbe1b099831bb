import { unwrapResolverError } from '@apollo/server/errors';
import { HttpException } from '@nestjs/common';
import { isDomainError } from '@sah/domain';
import { failedDependency } from '@sah/infrastructure';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { toRestError } from '../platform/http/rest-error';

/** Apollo's own codes for input the client got wrong; the contract calls all of them BAD_USER_INPUT. */
const CLIENT_INPUT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST']);
/** graphql-js ends some messages with a guess at what was meant: `… Did you mean "version"?`. */
const SUGGESTION = / ?Did you mean .+\?$/s;
/** Codes that already say what happened and pass through unchanged. */
const PASS_THROUGH_CODES = new Set(['QUERY_TOO_COMPLEX', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * The single GraphQL error mapper: every error leaves with `extensions.code`, domain details when
 * there are any, and a stack trace and graphql's "Did you mean …" suggestions only in development.
 */
export function formatGraphqlError(development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const apolloCode = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    // Apollo re-labels our own validation errors (e.g. the depth limit) GRAPHQL_VALIDATION_FAILED.
    const ownCode = wrappedCode(error);
    const { stacktrace, code: _code, ...extensions } = formatted.extensions ?? {};

    let code: string;
    let message = formatted.message;
    let details: unknown;
    if (isDomainError(original) || original instanceof HttpException || failedDependency(original)) {
      const mapped = toRestError(original);
      ({ code, message, details } = mapped);
    } else if (ownCode && PASS_THROUGH_CODES.has(ownCode)) {
      code = ownCode;
    } else if (apolloCode && CLIENT_INPUT_CODES.has(apolloCode)) {
      code = 'BAD_USER_INPUT';
    } else if (apolloCode && PASS_THROUGH_CODES.has(apolloCode)) {
      code = apolloCode;
    } else {
      code = 'INTERNAL_SERVER_ERROR';
      if (!development) message = 'Internal server error';
    }
    // Suggestions name fields, types and enum values: the schema that introspection hides in production.
    if (!development) message = message.replace(SUGGESTION, '');

    return {
      ...formatted,
      message,
      extensions: {
        ...extensions,
        code,
        ...(details ? { details } : {}),
        ...(development && stacktrace ? { stacktrace } : {}),
      },
    };
  };
}

function wrappedCode(error: unknown): string | undefined {
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const code = inner instanceof GraphQLError ? inner.extensions.code : undefined;
  return typeof code === 'string' ? code : undefined;
}
