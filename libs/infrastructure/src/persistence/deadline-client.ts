import { Client, ClientConfig } from 'pg';

/** Extra time the client waits past the server's `statement_timeout` before it calls the server silent. */
export const SILENT_SERVER_GRACE_MS = 500;

export interface DeadlineClientConfig extends ClientConfig {
  /** Opening a connection (TCP, TLS, start-up and authentication); the pool's own timeout covers waiting for one. */
  connectTimeoutMs: number;
}

/**
 * A pg client for a pool with deadlines. pg's `query_timeout` answers the caller, but leaves the
 * connection waiting for the lost reply: the next query on it would queue behind that reply and the
 * pool would hand the stuck connection out again. So a query that misses its deadline closes its
 * connection; the client's 'error' event makes the pool drop it and open a fresh one when needed.
 */
export class DeadlineClient extends Client {
  constructor(config: DeadlineClientConfig) {
    super({ ...config, connectionTimeoutMillis: config.connectTimeoutMs });
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) result.catch((error: unknown) => this.dropIfSilent(error));
      return result;
    }) as Client['query'];
  }

  private dropIfSilent(error: unknown): void {
    if (error instanceof Error && error.message === 'Query read timeout') this.connection.stream.destroy();
  }
}
