import type { ServerResponse } from 'node:http';

export interface ClientPresence {
  /** Aborted when the client goes away before the response finished: the upstream call stops. */
  signal: AbortSignal;
  /** Stop watching: the call settled. Safe to call more than once. */
  dispose(): void;
}

/**
 * Watches a response for its client leaving early. The 'close' listener is removed once the call
 * settles, so nothing keeps the call's abort controller (and what it closes over) reachable from the
 * response after the answer has been handled.
 */
export function watchClient(res: ServerResponse): ClientPresence {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.on('close', onClose);
  return { signal: controller.signal, dispose: () => res.off('close', onClose) };
}

/** Runs a call that stops when the client leaves before it settled; the watch ends with the call. */
export async function whileClientStays<T>(res: ServerResponse, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const client = watchClient(res);
  try {
    return await call(client.signal);
  } finally {
    client.dispose();
  }
}

/**
 * Resolves once a full write buffer drained, or the client left. Both listeners go when either fires:
 * a 'close' listener left behind per wait piles up on a long stream to a slow reader (one per
 * back-pressure pause, MaxListenersExceededWarning past ten).
 */
export function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
