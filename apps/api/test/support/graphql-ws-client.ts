import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphqlResult } from './graphql-client';

export type WsResult<T = Record<string, unknown>> = Omit<GraphqlResult<T>, 'status'>;

/**
 * Runs one operation over graphql-ws on its own connection (like `gql` over HTTP) and resolves with
 * its first result: the payload of the first `next`, or the errors of an `error` message (an
 * operation refused before it ran). A subscription is stopped after its first event.
 */
export async function gqlWs<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  bearer?: string,
): Promise<WsResult<T>> {
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: bearer ? { Authorization: `Bearer ${bearer}` } : {},
    retryAttempts: 0,
  });
  try {
    return await new Promise<WsResult<T>>((resolve, reject) => {
      client.subscribe<T>(
        { query, variables },
        {
          next: (result) => resolve(result as WsResult<T>),
          error: (error) => (Array.isArray(error) ? resolve({ errors: error as WsResult['errors'] }) : reject(error)),
          complete: () => reject(new Error('completed without a result')),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
