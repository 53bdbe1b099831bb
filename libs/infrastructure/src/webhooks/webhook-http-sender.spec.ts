import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { assertSafeHost, checkAddress, Resolve } from './webhook-address-guard';
import { WebhookHttpSender } from './webhook-http-sender';
import { newWebhookSecret, signWebhook } from './webhook-signer';

const strict = { allowLoopback: false, loopbackOnly: false };
const local = { allowLoopback: true, loopbackOnly: true };

describe('webhook address guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['172.16.0.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'ipv4Mapped'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
  ])('refuses %s (%s)', (address, range) => {
    expect(() => checkAddress('h', address, strict)).toThrow(range);
  });

  it('passes public unicast addresses, and loopback only when allowed', () => {
    expect(() => checkAddress('h', '93.184.216.34', strict)).not.toThrow();
    expect(() => checkAddress('h', '2606:2800:220:1::1', strict)).not.toThrow();
    expect(() => checkAddress('h', '127.0.0.1', { allowLoopback: true, loopbackOnly: false })).not.toThrow();
    // Even with private URLs allowed, only loopback: never the LAN or metadata, never mapped addresses.
    expect(() => checkAddress('h', '10.0.0.1', local)).toThrow();
    expect(() => checkAddress('h', '::ffff:127.0.0.1', local)).toThrow();
    expect(() => checkAddress('h', '93.184.216.34', local)).toThrow('not loopback');
  });

  it('checks every address a name resolves to', async () => {
    const resolve: Resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    await expect(assertSafeHost('mixed.example', strict, resolve)).rejects.toThrow('127.0.0.1');
  });
});

describe('WebhookHttpSender', () => {
  let server: http.Server;
  let port: number;
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
        else if (req.url === '/big') res.writeHead(200).end('x'.repeat(10_000));
        else res.writeHead(200, { 'x-seen': 'yes' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('delivers a signed body that the official verifier accepts; no redirect followed; 4 kB kept', async () => {
    const sender = new WebhookHttpSender({ allowLoopback: true, timeoutMs: 5_000 });
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'webhook.test', timestamp: new Date().toISOString(), data: {} });
    const headers = signWebhook([secret], 'msg_1', new Date(), body);
    const ok = await sender.send({
      url: new URL(`http://127.0.0.1:${port}/ok`),
      loopbackOnly: true,
      headers,
      body,
    });
    expect(ok).toMatchObject({ status: 200, body: 'ok', headers: { 'x-seen': 'yes' } });
    const last = received.at(-1) as { headers: Record<string, string>; body: string };
    expect(new Webhook(secret).verify(last.body, last.headers)).toEqual(JSON.parse(body));
    const redirect = await sender.send({
      url: new URL(`http://127.0.0.1:${port}/redirect`),
      loopbackOnly: true,
      headers,
      body,
    });
    expect(redirect).toMatchObject({ status: 302 });
    const big = await sender.send({
      url: new URL(`http://127.0.0.1:${port}/big`),
      loopbackOnly: true,
      headers,
      body,
    });
    expect('body' in big && big.body.length).toBe(4096);
    sender.close();
  });

  it('refuses at connect time a name that now resolves to a private address (rebinding)', async () => {
    let answer = '93.184.216.34';
    const resolve: Resolve = async () => [{ address: answer, family: 4 }];
    // Saved while the name looked public…
    await expect(assertSafeHost('rebind.example', strict, resolve)).resolves.toBeUndefined();
    // …then it re-resolves to the loopback receiver: the socket is never opened.
    answer = '127.0.0.1';
    const before = received.length;
    const sender = new WebhookHttpSender({ allowLoopback: false, timeoutMs: 5_000, resolve });
    const result = await sender.send({
      url: new URL(`http://rebind.example:${port}/ok`),
      loopbackOnly: false,
      headers: {},
      body: '{}',
    });
    expect(result).toMatchObject({ error: expect.stringContaining('127.0.0.1') });
    expect(received.length).toBe(before);
    sender.close();
  });

  it('refuses literal private addresses before connecting', async () => {
    const sender = new WebhookHttpSender({ allowLoopback: false, timeoutMs: 5_000 });
    expect(
      await sender.send({
        url: new URL(`http://127.0.0.1:${port}/ok`),
        loopbackOnly: false,
        headers: {},
        body: '{}',
      }),
    ).toMatchObject({
      error: expect.stringContaining('loopback'),
    });
    sender.close();
  });

  it('sends again, once, on a new socket when the receiver closed the kept-alive one as it was reused', async () => {
    // Closes every connection on its second request without answering: a receiver's idle timeout
    // firing just as the sender reuses the socket. A first request it drops likewise is not sent again.
    const requests: Array<{ path?: string; onSocket: number }> = [];
    const perSocket = new WeakMap<object, number>();
    const closing = http.createServer((req, res) => {
      const onSocket = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, onSocket);
      requests.push({ path: req.url, onSocket });
      req.resume();
      req.on('end', () => {
        if (onSocket > 1 || req.url === '/drop') req.socket.destroy();
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(closing.address() as AddressInfo).port}`;
    const sender = new WebhookHttpSender({ allowLoopback: true, timeoutMs: 5_000 });
    const post = (path: string) =>
      sender.send({ url: new URL(`${base}${path}`), loopbackOnly: true, headers: {}, body: '{}' });

    await expect(post('/first')).resolves.toMatchObject({ status: 200 });
    await expect(post('/second')).resolves.toMatchObject({ status: 200, body: 'ok' });
    expect(requests).toEqual([
      { path: '/first', onSocket: 1 },
      { path: '/second', onSocket: 2 },
      { path: '/second', onSocket: 1 },
    ]);

    requests.length = 0;
    sender.close();
    const fresh = new WebhookHttpSender({ allowLoopback: true, timeoutMs: 5_000 });
    const dropped = await fresh.send({ url: new URL(`${base}/drop`), loopbackOnly: true, headers: {}, body: '{}' });
    expect(dropped).toMatchObject({ error: 'socket hang up' });
    expect(requests).toEqual([{ path: '/drop', onSocket: 1 }]);
    fresh.close();
    closing.closeAllConnections();
    await new Promise((resolve) => closing.close(resolve));
  });

  it('gives up at its deadline', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const sender = new WebhookHttpSender({ allowLoopback: true, timeoutMs: 300 });
    const result = await sender.send({
      url: new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`),
      loopbackOnly: true,
      headers: {},
      body: '{}',
    });
    expect(result).toMatchObject({ error: expect.stringContaining('300 ms') });
    sender.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });
});
