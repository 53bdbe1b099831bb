import { ProviderFailure } from '@sah/domain';

export interface ProviderDeadlines {
  /** A whole non-streamed call (the SDK's `timeout`: until the response arrives). */
  requestTimeoutMs: number;
  /** A stream's first event, counted from the call's start: connect, headers and first chunk. */
  firstByteTimeoutMs: number;
  /** The longest silence between two events of a stream. */
  idleTimeoutMs: number;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Yields the SDK stream's events, but fails with a retryable `timeout` ProviderFailure when the first
 * event is not there `firstByteTimeoutMs` after `startedAt`, or a later one `idleTimeoutMs` after the
 * previous one. `cutOff` then aborts the upstream request, so a silent provider holds nothing open:
 * the SDKs' own timeout stops counting once the response headers are in, a stream can stall after.
 */
export async function* withStreamDeadlines<T>(
  source: AsyncIterable<T>,
  deadlines: ProviderDeadlines,
  startedAt: number,
  cutOff: () => void,
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let first = true;
  // Set while the source is still open: a reader that stops early closes it (the SDK then aborts).
  let open = true;
  try {
    for (;;) {
      const waitMs = first ? deadlines.firstByteTimeoutMs - (Date.now() - startedAt) : deadlines.idleTimeoutMs;
      const pending = iterator.next();
      open = false;
      const next = await raceTimeout(pending, waitMs);
      if (next === TIMED_OUT) {
        // The pending read rejects once the request is aborted; nobody waits for it any more.
        pending.catch(() => undefined);
        cutOff();
        throw new ProviderFailure(
          'timeout',
          first
            ? `The provider sent nothing within ${deadlines.firstByteTimeoutMs} ms`
            : `The provider went silent for ${deadlines.idleTimeoutMs} ms mid-stream`,
        );
      }
      if (next.done) return;
      first = false;
      open = true;
      yield next.value;
    }
  } finally {
    if (open) await iterator.return?.();
  }
}

async function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
