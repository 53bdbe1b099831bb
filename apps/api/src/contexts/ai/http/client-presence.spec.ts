import express from 'express';
import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { whileClientStays } from './client-presence';
import { SseWriter } from './sse';

/** Real sockets: back-pressure and 'close' are Node's, not a fake's. */
describe('client presence on a response', () => {
  let server: Server;
  let url: string;
  let handle: (res: express.Response) => Promise<void>;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  beforeAll(async () => {
    const app = express();
    app.get('/', (_req, res) => void handle(res).catch((error: unknown) => res.destroy(error as Error)));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    process.on('warning', onWarning);
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (warnings.length = 0));

  it('keeps one close listener through a long stream that waits on back-pressure many times', async () => {
    const counts: number[] = [];
    let baseline = -1;
    let drains = 0;
    handle = async (res) => {
      baseline = res.listenerCount('close');
      res.on('drain', () => (drains += 1));
      const sse = new SseWriter(res);
      sse.open();
      // Each event is larger than the socket's buffer: every write waits for 'drain'.
      for (let i = 0; i < 30; i++) {
        await sse.raw(`data: ${'x'.repeat(256 * 1024)}`);
        counts.push(res.listenerCount('close'));
      }
      sse.end();
      counts.push(res.listenerCount('close'));
    };

    const response = await fetch(url);
    expect((await response.text()).length).toBeGreaterThan(30 * 256 * 1024);

    expect(drains).toBeGreaterThan(10);
    expect(Math.max(...counts.slice(0, -1))).toBe(baseline + 1);
    expect(counts.at(-1)).toBe(baseline);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('stops watching once a call settled, and aborts a call whose client left', async () => {
    let after = -1;
    let baseline = -1;
    handle = async (res) => {
      baseline = res.listenerCount('close');
      for (let i = 0; i < 20; i++) await whileClientStays(res, async () => 'answer');
      await whileClientStays(res, () => Promise.reject(new Error('refused'))).catch(() => undefined);
      after = res.listenerCount('close');
      res.end('done');
    };
    expect(await (await fetch(url)).text()).toBe('done');
    expect(after).toBe(baseline);
    expect(warnings).toEqual([]);

    let aborted: Promise<boolean> = Promise.resolve(false);
    let reached = () => undefined as void;
    const handled = new Promise<void>((resolve) => (reached = resolve));
    handle = async (res) => {
      aborted = whileClientStays(res as ServerResponse, (signal) => once(signal, 'abort').then(() => signal.aborted));
      reached();
    };
    const leaving = new AbortController();
    const request = fetch(url, { signal: leaving.signal }).catch(() => undefined);
    await handled;
    leaving.abort();
    await request;
    expect(await aborted).toBe(true);
  });
});
