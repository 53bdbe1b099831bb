import { buildDataSourceOptions } from '@sah/infrastructure';
import pino from 'pino';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { initializeAtBoot } from './initialize-at-boot';

const DEADLINES = { connectTimeoutMs: 300, acquireTimeoutMs: 300, statementTimeoutMs: 1_000, lockTimeoutMs: 1_000 };

/** In front of the test PostgreSQL: the first connection is accepted and never answered, later ones pass. */
async function silentFirstConnection(): Promise<{ server: Server; url: string; accepted: () => number }> {
  const target = new URL(process.env.TEST_DATABASE_URL as string);
  const sockets: Socket[] = [];
  let accepted = 0;
  const server = createServer((client) => {
    sockets.push(client);
    client.on('error', () => undefined);
    if (++accepted === 1) return;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
    sockets.push(upstream);
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return { server, url: url.toString(), accepted: () => accepted };
}

const dataSourceFor = (url: string) => new DataSource(buildDataSourceOptions({ url, poolMax: 2, deadlines: DEADLINES, applicationName: 'test' }));
const logger = pino({ level: 'silent' });

describe('initializeAtBoot', () => {
  it('tries again when the first connection does not answer in time', async () => {
    const proxy = await silentFirstConnection();
    const dataSource = dataSourceFor(proxy.url);
    try {
      await initializeAtBoot(dataSource, logger, 10_000);
      expect(proxy.accepted()).toBeGreaterThanOrEqual(2);
      expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      proxy.server.close();
    }
  });

  it('fails at once on an unknown database: no retry can fix that', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = '/sah_no_such_database';
    const started = Date.now();
    await expect(initializeAtBoot(dataSourceFor(url.toString()), logger, 10_000)).rejects.toMatchObject({ code: '3D000' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
