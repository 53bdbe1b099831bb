import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { LocalService } from './local-service';

export const REDIS_MISSING_MESSAGE =
  'Redis is not available: set REDIS_URL=redis://HOST:6379, or install redis-server (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)';

/**
 * A `redis-server` from PATH, with its append-only file under `<dataDir>/redis` and the eviction
 * policy BullMQ needs. One already answering on our port is reused.
 */
export async function startLocalRedis(dataDir: string, port: number, logger: Logger): Promise<LocalService> {
  const url = `redis://127.0.0.1:${port}`;
  if (await answers(url)) {
    logger.info({ port }, 'using the local Redis that is already running');
    return { url, stop: async () => undefined };
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error(REDIS_MISSING_MESSAGE);

  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'],
    // Its own process group: Ctrl-C on `npm start` must not kill Redis before the app has drained
    // its queues; the app stops it last. If the app dies hard, the next start reuses it.
    { stdio: 'ignore', detached: true },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    if (await answers(url)) {
      logger.info({ port, dir }, 'local redis-server started');
      return {
        url,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on 127.0.0.1:${port}: is the port taken? Set REDIS_URL to use another server.`);
}

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
