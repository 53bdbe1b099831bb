import { ProviderFailure } from '@sah/domain';

/** What both official SDKs' API errors have in common. */
export interface SdkApiError {
  status?: number;
  headers?: Headers | Record<string, string | null | undefined>;
  message: string;
}

interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
}

/** The caller (client gone, deadline) aborted: not the provider's failure. */
export class UpstreamAborted extends Error {
  constructor() {
    super('upstream request aborted');
    this.name = 'UpstreamAborted';
  }
}

/** Translates an official SDK's error into the gateway's terms. */
export function toProviderFailure(error: unknown, sdk: SdkErrorClasses): Error {
  if (error instanceof ProviderFailure || error instanceof UpstreamAborted) return error;
  if (error instanceof sdk.APIUserAbortError) return new UpstreamAborted();
  if (error instanceof sdk.APIConnectionTimeoutError) return new ProviderFailure('timeout', 'The provider did not answer in time');
  if (error instanceof sdk.APIConnectionError) return new ProviderFailure('unreachable', 'The provider could not be reached');
  if (error instanceof sdk.APIError) {
    const { status, message } = error as unknown as SdkApiError;
    if (status === 429) return new ProviderFailure('rate_limited', message, status, retryAfterMs(error as unknown as SdkApiError));
    if (status === 401 || status === 403) return new ProviderFailure('auth', 'The provider refused the hub’s credentials', status);
    if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409) {
      return new ProviderFailure('invalid_request', message, status);
    }
    return new ProviderFailure('server_error', message, status, retryAfterMs(error as unknown as SdkApiError));
  }
  // Anything else came from the wire: a connection that broke off mid-stream ("terminated"), a body
  // that was not what the SDK expected.
  return new ProviderFailure('unreachable', `The provider connection failed: ${error instanceof Error ? error.message : String(error)}`);
}

function header(error: SdkApiError, name: string): string | undefined {
  const headers = error.headers;
  if (!headers) return undefined;
  const value = typeof (headers as Headers).get === 'function' ? (headers as Headers).get(name) : (headers as Record<string, string | null | undefined>)[name];
  return value ?? undefined;
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(error: SdkApiError): number | undefined {
  const ms = Number(header(error, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = header(error, 'retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
