/**
 * How a provider call failed, as the resilience rules see it. Adapters translate their SDK's errors
 * into this; the gateway decides to retry, fall back or give up.
 */
export type ProviderFailureKind = 'rate_limited' | 'server_error' | 'timeout' | 'unreachable' | 'invalid_request' | 'auth';

export class ProviderFailure extends Error {
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    readonly status?: number,
    /** From the provider's Retry-After, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderFailure';
  }

  /** Worth another attempt (same or another key, after a pause). */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server_error' || this.kind === 'timeout' || this.kind === 'unreachable';
  }
}
