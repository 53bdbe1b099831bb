import { createServer, Server, Socket, connect } from 'node:net';

/** One client connection and, once traffic may flow, its connection to the target. */
interface Link {
  client: Socket;
  upstream: Socket | undefined;
  /** Caught by a blackhole and left silent by a failover: never passes bytes again. */
  stalled?: boolean;
}

/**
 * A TCP pass-through between the app and a real dependency (PostgreSQL, Redis, a fake HTTP server).
 * - `cut()`: the dependency is unreachable (refused connections, live ones dropped), a hard outage.
 * - `blackhole()`: the gray failure — connections are still accepted but nothing answers, and live
 *   connections stop passing bytes in either direction (a stalled server, a firewall dropping packets).
 * - `restore()`: traffic flows again on the same port; bytes held back during a blackhole are delivered
 *   then, as TCP would once the network heals, and connections accepted meanwhile reach the target.
 *   `restore({ keepStalled: true })` is a failover instead: new connections work, but those the
 *   blackhole caught stay silent for good (half-open connections to a server that is gone).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly links = new Set<Link>();
  private blackholed = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUrl(url: string, defaultPort: number): TcpProxy {
    const parsed = new URL(url);
    return new TcpProxy(parsed.hostname, parsed.port ? Number(parsed.port) : defaultPort);
  }

  /** The given URL, pointed at this proxy. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.blackholed = false;
    for (const link of this.links) {
      link.client.destroy();
      link.upstream?.destroy();
    }
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Keeps accepting connections but passes no bytes, on new and live connections alike. */
  blackhole(): void {
    this.blackholed = true;
    for (const link of this.links) {
      link.client.pause();
      link.upstream?.pause();
    }
  }

  /** Ends a cut or a blackhole. */
  async restore(options: { keepStalled?: boolean } = {}): Promise<void> {
    this.blackholed = false;
    for (const link of this.links) {
      if (options.keepStalled) link.stalled = true;
      if (link.stalled) continue;
      if (link.upstream) {
        link.client.resume();
        link.upstream.resume();
      } else {
        this.connectUpstream(link);
      }
    }
    if (!this.server) await this.start();
  }

  private accept(client: Socket): void {
    const link: Link = { client, upstream: undefined };
    this.links.add(link);
    client.on('error', () => client.destroy());
    client.on('close', () => {
      this.links.delete(link);
      link.upstream?.destroy();
    });
    if (this.blackholed) {
      // Accepted, silent: what the client sends waits unread until restore().
      client.pause();
      return;
    }
    this.connectUpstream(link);
  }

  private connectUpstream(link: Link): void {
    const { client } = link;
    const upstream = connect(this.targetPort, this.targetHost);
    link.upstream = upstream;
    upstream.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    this.forward(link, client, upstream);
    this.forward(link, upstream, client);
    client.resume();
  }

  /** Like pipe(), but a blackhole's pause() is not undone by the destination draining. */
  private forward(link: Link, from: Socket, to: Socket): void {
    from.on('data', (chunk) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!this.blackholed && !link.stalled) from.resume();
    });
  }
}
