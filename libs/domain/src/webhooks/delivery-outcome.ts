import { DISABLE_AFTER_FAILING_MS, nextAttemptDelay, parseRetryAfter } from './retry-schedule';

/** What one attempt came to: a response (any status) or no response at all (refused, timeout…). */
export type AttemptResult = { status: number; retryAfter?: string } | { error: string };

export type DeliveryDecision =
  | { kind: 'delivered' }
  /** 410 Gone: the receiver asked us to stop; the endpoint is disabled. */
  | { kind: 'disable-endpoint'; reason: string }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'give-up' };

const RETRY_AFTER_STATUSES = new Set([429, 502, 503, 504]);

/**
 * The rules of delivery: 2xx delivers; 410 disables; anything else (3xx too: redirects are not
 * followed) is retried on the schedule, honouring Retry-After on 429/502/503/504.
 */
export function decideAfterAttempt(
  result: AttemptResult,
  attemptsMade: number,
  options: { now: Date; schedule?: readonly number[]; random?: () => number },
): DeliveryDecision {
  if ('status' in result && result.status >= 200 && result.status < 300) return { kind: 'delivered' };
  if ('status' in result && result.status === 410)
    return { kind: 'disable-endpoint', reason: 'The endpoint answered 410 Gone' };
  const retryAfterMs =
    'status' in result && RETRY_AFTER_STATUSES.has(result.status)
      ? parseRetryAfter(result.retryAfter, options.now)
      : null;
  const delayMs = nextAttemptDelay(attemptsMade, {
    schedule: options.schedule,
    retryAfterMs,
    random: options.random,
  });
  return delayMs === null ? { kind: 'give-up' } : { kind: 'retry', delayMs };
}

/** An endpoint failing since `failingSince` with no success is disabled once that has lasted 5 days. */
export function shouldDisableFailingEndpoint(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;
}
