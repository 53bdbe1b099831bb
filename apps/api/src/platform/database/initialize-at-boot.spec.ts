import { buildDataSourceOptions } from '@sah/infrastructure';
import pino from 'pino';
import { silentFirstConnection } from '@sah/infrastructure/testing';
import type { Server } from 'node:net';
import { DataSource } from 'typeorm';
import { initializeAtBoot } from './initialize-at-boot';

const DEADLINES = { connectTimeoutMs: 300, acquireTimeoutMs: 300, statementTimeoutMs: 1_000, lockTimeoutMs: 1_000 };

/** In front of the test PostgreSQL: the first connection is accepted and never answered, later ones pass. */
async function silentFirstDatabaseConnection(): Promise<{ server: Server; url: string; accepted: () => number }> {
  const target = new URL(process.env.TEST_DATABASE_URL as string);
  const proxy = await silentFirstConnection({ host: target.hostname, port: Number(target.port || 5432) });
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return { server: proxy.server, url: url.toString(), accepted: proxy.accepted };
}

const dataSourceFor = (url: string) => new DataSource(buildDataSourceOptions({ url, poolMax: 2, deadlines: DEADLINES, applicationName: 'test' }));
const logger = pino({ level: 'silent' });

describe('initializeAtBoot', () => {
  it('tries again when the first connection does not answer in time', async () => {
    const proxy = await silentFirstDatabaseConnection();
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
