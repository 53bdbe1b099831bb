import type { ClientRequest, RequestOptions } from 'node:http';

type Callback = (error: unknown, result?: unknown, response?: unknown) => void;

interface HttpLibrary {
  request(options: RequestOptions): ClientRequest;
}

/** The one hook of the `oauth` package's OAuth2 client (used by passport-oauth2) that sees each request. */
interface OAuth2Requests {
  _executeRequest(library: HttpLibrary, options: RequestOptions, body: unknown, callback: Callback): void;
}

/**
 * Puts a deadline on every token and userinfo request of a passport OAuth2 strategy: its client has
 * no timeout of its own, so a silent Google would hold the callback request forever. At the deadline
 * the request is destroyed and passport gets an error (the guard answers 503); a late answer is ignored.
 */
export function applyOAuthDeadline(oauth2: unknown, timeoutMs: number): void {
  const client = oauth2 as OAuth2Requests;
  const execute = client._executeRequest.bind(client);
  client._executeRequest = (library, options, body, callback) => {
    let request: ClientRequest | undefined;
    let settled = false;
    const settle: Callback = (...args) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      callback(...args);
    };
    const timer = setTimeout(() => {
      request?.destroy();
      settle(new Error(`Google did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const tracked: HttpLibrary = { request: (requestOptions) => (request = library.request(requestOptions)) };
    execute(tracked, options, body, settle);
  };
}
