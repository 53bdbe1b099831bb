import { Agent, fetch as undiciFetch } from 'undici';
import { isIP } from 'node:net';
import { AddressPolicy, checkAddress, guardedLookup, Resolve, systemResolve } from '../webhooks/webhook-address-guard';

/**
 * Connections to the base URLs admins typed into channels: like webhook deliveries, a socket goes only
 * to addresses checked at connect time (private, link-local and metadata ranges refused; loopback only
 * when allowed), so a name that re-resolves elsewhere after it was saved (DNS rebinding) is refused.
 * Configured channels (base URLs from the environment) do not come through here.
 */
export class ChannelConnections {
  private readonly agents = new Map<boolean, Agent>();

  constructor(private readonly options: { allowLoopback: boolean; resolve?: Resolve }) {}

  /** The dispatcher for a base URL: plain http or another port than 80/443 must be loopback. */
  dispatcher(baseUrl: string): Agent {
    const loopbackOnly = isLoopbackOnly(baseUrl);
    const policy: AddressPolicy = { allowLoopback: this.options.allowLoopback, loopbackOnly };
    // A literal address is never looked up, so the socket's check would not see it.
    const host = new URL(baseUrl).hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) checkAddress(host, host, policy);
    let agent = this.agents.get(loopbackOnly);
    if (!agent) {
      const lookup = guardedLookup(policy, this.options.resolve ?? systemResolve);
      agent = new Agent({ keepAliveTimeout: 30_000, connect: { lookup: lookup as never } });
      this.agents.set(loopbackOnly, agent);
    }
    return agent;
  }

  /** A `fetch` for the official SDKs, connecting through the guarded dispatcher. */
  fetchFor(baseUrl: string): typeof fetch {
    const dispatcher = this.dispatcher(baseUrl);
    return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
  }

  /** Called by Nest at shutdown. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

export function isLoopbackOnly(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return url.protocol === 'http:' || (port !== 443 && port !== 80);
}
