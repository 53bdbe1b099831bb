import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (the connect-time check needs them all). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

export class UnsafeWebhookAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to ${address} (${range}), which webhooks may not reach`);
    this.name = 'UnsafeWebhookAddressError';
  }
}

export interface AddressPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_URLS: loopback addresses (only those) become reachable, on any port. */
  allowLoopback: boolean;
  /** The URL is plain http or on another port than 80/443: every address must then be loopback. */
  loopbackOnly: boolean;
}

/**
 * Only globally routable unicast addresses pass (ipaddr.js classifies: private, loopback,
 * link-local and the cloud metadata address in it, CGNAT, unique-local, multicast, reserved, 6to4/Teredo
 * and IPv4-mapped IPv6 are all refused). Loopback passes only when allowed.
 */
export function checkAddress(host: string, address: string, policy: AddressPolicy): void {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    throw new UnsafeWebhookAddressError(host, address, 'unparsable');
  }
  const range = parsed.range();
  const allowed = policy.loopbackOnly
    ? range === 'loopback' && policy.allowLoopback
    : range === 'unicast' || (range === 'loopback' && policy.allowLoopback);
  if (!allowed)
    throw new UnsafeWebhookAddressError(
      host,
      address,
      policy.loopbackOnly && range === 'unicast' ? 'not loopback' : range,
    );
}

/** Save-time check: the host (a literal or a name) and every address it resolves to now. */
export async function assertSafeHost(
  host: string,
  policy: AddressPolicy,
  resolve: Resolve = systemResolve,
): Promise<void> {
  if (isIP(host)) return checkAddress(host, host, policy);
  const addresses = await resolve(host);
  if (addresses.length === 0) throw new UnsafeWebhookAddressError(host, '(none)', 'unresolved');
  for (const { address } of addresses) checkAddress(host, address, policy);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for sockets: the connection goes only to addresses checked at this moment, so a name
 * that re-resolves to a private address after it was saved (DNS rebinding) is refused at connect.
 */
export function guardedLookup(policy: AddressPolicy, resolve: Resolve = systemResolve) {
  return (hostname: string, options: { all?: boolean } | number, callback: LookupCallback): void => {
    resolve(hostname)
      .then((addresses) => {
        if (addresses.length === 0) throw new UnsafeWebhookAddressError(hostname, '(none)', 'unresolved');
        for (const { address } of addresses) checkAddress(hostname, address, policy);
        const first = addresses[0] as LookupAddress;
        if (typeof options === 'object' && options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, ''));
  };
}
