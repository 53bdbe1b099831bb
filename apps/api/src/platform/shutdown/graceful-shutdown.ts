import type { Server } from 'node:http';
import type { Logger } from 'pino';

/**
 * Stops accepting connections and waits for in-flight requests; after `timeoutMs` the remaining
 * connections are cut so shutdown always ends.
 */
export function closeHttpServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * npm forwards the signal it receives to its child, and Ctrl-C also reaches the child directly, so one
 * request to stop often arrives twice within milliseconds: only a later signal means "now".
 */
const DUPLICATE_SIGNAL_WINDOW_MS = 2_000;

/**
 * Runs `shutdown` once on the first SIGTERM or SIGINT; a later second signal forces an exit, and so
 * does a shutdown still running after `timeoutMs` (e.g. a queue worker waiting for a dead Redis).
 */
export function onShutdownSignal(
  logger: Logger,
  timeoutMs: number,
  shutdown: (signal: string) => Promise<void>,
): void {
  let stoppingSince: number | undefined;
  const handle = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_WINDOW_MS) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ signal, timeout_ms: timeoutMs }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, timeoutMs).unref();
    shutdown(signal).then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
