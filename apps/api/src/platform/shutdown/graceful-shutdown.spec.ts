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
    let release!: () => void;
    const port = await listen((_req, res) => {
      release = () => res.end('finished');
    });
    const inFlight = get(port);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const closed = closeHttpServer(server, 5_000);
    setTimeout(() => release(), 100);

    expect(await inFlight).toEqual({ status: 200, body: 'finished' });
    await closed;
    await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cuts connections that outlive the timeout', async () => {
    const port = await listen(() => undefined); // never answers
    const hanging = get(port).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = Date.now();
    await closeHttpServer(server, 200);

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(String(await hanging)).toMatch(/socket hang up|ECONNRESET/);
  });
});
