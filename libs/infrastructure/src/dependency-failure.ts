/** `service`: some network peer, unnamed (a refused or reset connection). */
export type Dependency = 'database' | 'redis' | 'service';

/** SQLSTATEs that say the server is slow, busy or going away — not that the query was wrong. */
const DATABASE_STATES = new Set([
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/** What pg and pg-pool say when the server is silent, gone or out of reach in time. */
const DATABASE_MESSAGES = [
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  // A connection dropped at its read deadline, used again by the same transaction (its ROLLBACK).
  'Client was closed and is not queryable',
];

/** What ioredis says when Redis is silent or out of reach (the shared client queues nothing offline). */
const REDIS_MESSAGES = ['Command timed out', "Stream isn't writeable", 'Connection is closed', 'Reached the max retries per request limit'];

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Which of our own dependencies failed to answer, if that is what `error` says (looking through
 * TypeORM's `driverError` and `cause` chains). The edges answer those 503 DEPENDENCY_UNAVAILABLE
 * rather than an opaque 500: the request was fine, a dependency was not, and a retry may succeed.
 */
export function failedDependency(error: unknown): Dependency | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const { code, driverError, cause } = current as Error & { code?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && DATABASE_STATES.has(code)) return 'database';
    if (DATABASE_MESSAGES.some((message) => current instanceof Error && current.message.startsWith(message))) return 'database';
    if (REDIS_MESSAGES.some((message) => current instanceof Error && current.message.startsWith(message))) return 'redis';
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'service';
    current = driverError ?? cause;
  }
  return undefined;
}
