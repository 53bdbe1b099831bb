import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { closeHttpServer } from './graceful-shutdown';

describe('closeHttpServer', () => {
  let server: Server;

  const listen = (handler: Parameters<typeof createServer>[1]) =>
    new Promise<number>((resolve) => {
      server = createServer(handler).listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });

  const get = (port: number) =>
    new Promise<{ status?: number; body: string }>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
        .on('error', reject)
        .end();
    });

  it('lets an in-flight request finish, then refuses new connections', async () => {
    let arrived!: (release: () => void) => void;
    const handling = new Promise<() => void>((resolve) => (arrived = resolve));
    const port = await listen((_req, res) => arrived(() => res.end('finished')));
    const inFlight = get(port);
    // Close only once the server is handling the request: a connection whose request has not been
    // read yet counts as idle, and closing it would be a different case.
    const release = await handling;

    const closed = closeHttpServer(server, 5_000);
    setTimeout(() => release(), 100);

    expect(await inFlight).toEqual({ status: 200, body: 'finished' });
    await closed;
    await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cuts connections that outlive the timeout', async () => {
    let arrived!: () => void;
    const handling = new Promise<void>((resolve) => (arrived = resolve));
    const port = await listen(() => arrived()); // never answers
    const hanging = get(port).catch((error: Error) => error);
    await handling;

    const started = Date.now();
    await closeHttpServer(server, 200);

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(String(await hanging)).toMatch(/socket hang up|ECONNRESET/);
  });
});
