import { DomainError } from '@sah/domain';

/**
 * Bounds a call on the mail queue. BullMQ's connections wait for Redis without limit (its workers
 * need that), so a request or the outbox relay calling the queue while Redis is silent would hang;
 * this fails it at the deadline instead (503 DEPENDENCY_UNAVAILABLE at the edges, a retry for the
 * relay). The call itself may still complete later: callers only make idempotent ones.
 */
export async function withinRedisDeadline<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DomainError('DEPENDENCY_UNAVAILABLE', 'Redis did not answer in time; try again shortly', { dependency: 'redis' })),
      deadlineMs,
    );
  });
  // A late failure of the abandoned call is expected, not unhandled.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
