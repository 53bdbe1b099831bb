import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

export interface SilentFirstConnection {
  server: Server;
  port: number;
  /** How many connections were accepted so far. */
  accepted(): number;
}

/**
 * A proxy on 127.0.0.1 in front of a real server whose first connection is accepted and never
 * answered (a slow or stalled start), while later ones pass through: for start-up code that must
 * try again rather than give up on the first connection.
 */
export async function silentFirstConnection(target: { host: string; port: number }): Promise<SilentFirstConnection> {
  const sockets: Socket[] = [];
  let accepted = 0;
  const server = createServer((client) => {
    sockets.push(client);
    client.on('error', () => undefined);
    if (++accepted === 1) return;
    const upstream = connect(target.port, target.host);
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
    sockets.push(upstream);
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, accepted: () => accepted };
}
