import { CombinedGraphQLErrors, CombinedProtocolErrors, ServerError } from '@apollo/client/errors';

/** A failure reduced to what the UI needs: the API's `extensions.code` and a sentence for people. */
export interface AppError {
  readonly code: string;
  readonly message: string;
}

/** Used when the server gives no usable message for a code (e.g. hidden internals). */
const FALLBACK_MESSAGES: Readonly<Record<string, string>> = {
  UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  FORBIDDEN: 'You do not have permission to do that.',
  BAD_USER_INPUT: 'Some of the values you entered are not valid.',
  NOT_FOUND: 'That item no longer exists.',
  INSUFFICIENT_CREDITS: 'There are not enough credits for this action.',
  RATE_LIMITED: 'Too many requests. Please wait a moment and try again.',
  INTERNAL_SERVER_ERROR: 'The server hit an unexpected error. Please try again.',
  NETWORK_ERROR: 'The server could not be reached. Check your connection and try again.',
  UNKNOWN: 'Something went wrong. Please try again.',
};

/** Codes whose server message may leak internals; the fallback is shown instead. */
const HIDDEN_MESSAGE_CODES = new Set(['INTERNAL_SERVER_ERROR', 'UNKNOWN']);

interface GraphQLErrorLike {
  readonly message?: unknown;
  readonly extensions?: { readonly code?: unknown } | null;
}

/**
 * The one place that turns Apollo/HTTP failures into `AppError`s. GraphQL errors keep the API's
 * message (it is written for users); transport failures get a generic sentence.
 */
export function toAppError(error: unknown): AppError {
  if (CombinedGraphQLErrors.is(error) || CombinedProtocolErrors.is(error)) {
    return fromGraphQLErrors(error.errors);
  }
  if (ServerError.is(error)) {
    // apollo-angular's HttpLink reports a non-2xx response (e.g. 400 for a query the schema rejects)
    // as a ServerError; its body usually still holds the GraphQL errors.
    const errors = parseErrors(error.bodyText);
    if (errors.length > 0) return fromGraphQLErrors(errors);
    return error.statusCode >= 500
      ? appError('INTERNAL_SERVER_ERROR')
      : { code: 'UNKNOWN', message: `The server answered with HTTP ${error.statusCode}.` };
  }
  if (isNetworkFailure(error)) return appError('NETWORK_ERROR');
  return appError('UNKNOWN');
}

function fromGraphQLErrors(errors: readonly GraphQLErrorLike[]): AppError {
  const first = errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN';
  const message = typeof first?.message === 'string' ? first.message.trim() : '';
  if (!message || HIDDEN_MESSAGE_CODES.has(code)) return appError(code);
  return { code, message };
}

function appError(code: string): AppError {
  return { code, message: FALLBACK_MESSAGES[code] ?? FALLBACK_MESSAGES['UNKNOWN'] };
}

function parseErrors(bodyText: string): GraphQLErrorLike[] {
  try {
    const body: unknown = JSON.parse(bodyText);
    const errors = (body as { errors?: unknown } | null)?.errors;
    return Array.isArray(errors) ? (errors as GraphQLErrorLike[]) : [];
  } catch {
    return [];
  }
}

/**
 * Anything else from the link chain is a transport failure: apollo-angular turns an HTTP status 0
 * into a plain Error, fetch throws TypeError, graphql-ws rejects with a CloseEvent.
 */
function isNetworkFailure(error: unknown): boolean {
  if (error instanceof Error) return true;
  if (typeof error !== 'object' || error === null) return false;
  if ('status' in error && error.status === 0) return true;
  return typeof CloseEvent !== 'undefined' && error instanceof CloseEvent;
}
