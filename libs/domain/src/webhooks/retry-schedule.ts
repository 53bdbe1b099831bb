/**
 * When attempts happen, as Standard Webhooks recommends: immediately, then 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 14 h, 20 h and 24 h after each failure. The last entry is the last attempt.
 */
export const STANDARD_RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
];

/** An endpoint that has failed every attempt for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;

const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** Spread retries ±10% so that many messages failing together do not come back together. */
export function withJitter(delayMs: number, random: () => number = Math.random): number {
  return Math.round(delayMs * (0.9 + 0.2 * random()));
}

/**
 * Delay before the next attempt after `attemptsMade` failed ones, or `null` when the schedule is
 * exhausted. A `Retry-After` (seconds or an HTTP date) is honoured: never earlier than it says.
 */
export function nextAttemptDelay(
  attemptsMade: number,
  options: { schedule?: readonly number[]; retryAfterMs?: number | null; random?: () => number } = {},
): number | null {
  const schedule = options.schedule ?? STANDARD_RETRY_SCHEDULE_MS;
  const planned = schedule[attemptsMade];
  if (planned === undefined) return null;
  const delay = withJitter(planned, options.random);
  const retryAfter = Math.min(options.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
  return Math.max(delay, retryAfter);
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; `null` when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
