import Stripe from 'stripe';

export interface StripeClientOptions {
  secretKey: string;
  /** Another API base (a local fake, stripe-mock); unset: Stripe's own. */
  apiBase?: string;
  /** Deadline of each request, and retries of one that failed on the network or timed out. */
  timeoutMs: number;
  maxNetworkRetries: number;
}

/**
 * The official SDK client. Production and tests run the same code: only where its requests go
 * differs, which is what the SDK's host/port/protocol settings are for.
 */
export function createStripeClient(options: StripeClientOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(options.secretKey, {
    ...(base && {
      host: base.hostname,
      port: base.port || (protocol === 'http' ? 80 : 443),
      protocol,
    }),
    // Safe to retry: every request that creates something carries an idempotency key.
    maxNetworkRetries: options.maxNetworkRetries,
    timeout: options.timeoutMs,
    appInfo: { name: 'smart-ai-hub' },
  });
}
