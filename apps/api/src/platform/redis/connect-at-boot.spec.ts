import { parseRedisUrl } from '@sah/infrastructure';
import Redis from 'ioredis';
import { silentFirstConnection } from '@sah/infrastructure/testing';
import { AddressInfo, createServer } from 'node:net';
import { connectAtBoot } from './connect-at-boot';

/** In front of the test Redis: the first connection is accepted and never answered, later ones pass. */
function silentFirstRedisConnection() {
  const target = parseRedisUrl(process.env.TEST_REDIS_URL as string);
  return silentFirstConnection({ host: target.host as string, port: target.port as number });
}

const client = (port: number) =>
  new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 300,
    commandTimeout: 300,
    socketTimeout: 300,
    retryStrategy: () => 50,
  }).on('error', () => undefined);

describe('connectAtBoot', () => {
  it('waits for a reconnect when the first connection does not answer', async () => {
    const proxy = await silentFirstRedisConnection();
    const redis = client(proxy.port);
    try {
      await connectAtBoot(redis, 10_000);
      expect(redis.status).toBe('ready');
      expect(proxy.accepted()).toBeGreaterThanOrEqual(2);
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
      proxy.server.close();
    }
  });

  it('gives up with the first error after its deadline and stops reconnecting', async () => {
    // Accepts and hangs up at once: every try fails.
    let tries = 0;
    const refusing = createServer((socket) => {
      tries += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const redis = client((refusing.address() as AddressInfo).port);
    // Counted on the client: the server may still accept a connection the client opened just before
    // giving up (a loaded host runs the accept later), which is not a reconnect.
    let reconnects = 0;
    redis.on('reconnecting', () => (reconnects += 1));
    try {
      await expect(connectAtBoot(redis, 500)).rejects.toThrow(/Connection is closed/);
      expect(tries).toBeGreaterThanOrEqual(2);
      const reconnectsWhenGivenUp = reconnects;
      expect(reconnectsWhenGivenUp).toBeGreaterThanOrEqual(1);
      // Six of the client's 50 ms reconnect delays: none is scheduled after giving up.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reconnects).toBe(reconnectsWhenGivenUp);
    } finally {
      refusing.close();
    }
  });
});
