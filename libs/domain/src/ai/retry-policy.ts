/** Retries after the first attempt: by default 1 s, 2 s, 4 s, each with up to 20% jitter. */
export const MAX_RETRIES = 3;
export const DEFAULT_RETRY_BASE_MS = 1000;
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait before retry number `retry` (1-based): the provider's Retry-After when it gave one
 * (bounded), else exponential backoff with jitter so many clients do not retry in step.
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  baseMs = DEFAULT_RETRY_BASE_MS,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  const base = baseMs * 2 ** (retry - 1);
  return Math.round(base + base * 0.2 * random());
}
