/**
 * Codes shared by every transport. Each edge (REST filter, GraphQL formatter) maps a code to its own
 * status; the domain only says what went wrong.
 */
export type DomainErrorCode =
  | 'BAD_USER_INPUT'
  | 'WEAK_PASSWORD'
  | 'UNAUTHENTICATED'
  | 'EMAIL_NOT_VERIFIED'
  | 'ACCOUNT_SUSPENDED'
  | 'ACCOUNT_LOCKED'
  | 'TOO_MANY_ATTEMPTS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INSUFFICIENT_CREDITS'
  /** A spending budget (an API key's credits per month) would be exceeded: no waiting helps until the period ends. */
  | 'BUDGET_EXCEEDED'
  /** A manual credit adjustment above what the caller's role may grant at once or per day. */
  | 'ADJUSTMENT_LIMIT_EXCEEDED'
  | 'IDEMPOTENCY_KEY_REUSED'
  /** A team invitation link that was used, revoked or has expired: a new invitation is needed. */
  | 'INVITATION_ALREADY_ACCEPTED'
  | 'INVITATION_REVOKED'
  | 'INVITATION_EXPIRED'
  | 'CONTEXT_LENGTH_EXCEEDED'
  | 'PROVIDER_ERROR'
  | 'PROVIDER_UNAVAILABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  /** A dependency (database, Redis) did not answer within its deadline: retry shortly. */
  | 'DEPENDENCY_UNAVAILABLE';

/** An expected failure: a rule of the domain said no. Never carries secrets in `details`. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('NOT_FOUND', `${what} not found`, details);
  }

  static badInput(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError('BAD_USER_INPUT', message, details);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
