import { Credits } from '@sah/domain';
import { parseRedisUrl } from '@sah/infrastructure';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { BalanceChange, BalanceChanges } from './balance-changes';

const state = (userId: string, balance: number) => ({
  userId,
  balance: Credits.whole(balance),
  reserved: Credits.whole(0),
});
const wire = (userId: string, balance: number): BalanceChange => ({
  userId,
  balanceMillis: String(balance * 1000),
  reservedMillis: '0',
});

describe('BalanceChanges', () => {
  const prefix = `${process.env.TEST_REDIS_PREFIX as string}balance-${randomBytes(4).toString('hex')}:`;
  const redis = new Redis({
    ...parseRedisUrl(process.env.TEST_REDIS_URL as string),
    keyPrefix: prefix,
    enableAutoPipelining: true,
  });
  const listener = redis.duplicate({ keyPrefix: undefined, enableAutoPipelining: false });
  const received: BalanceChange[] = [];
  const waiters: Array<() => void> = [];
  listener.on('message', (_channel: string, message: string) => {
    received.push(JSON.parse(message) as BalanceChange);
    waiters.splice(0).forEach((wake) => wake());
  });
  const receivedAtLeast = async (count: number) => {
    while (received.length < count) await new Promise<void>((wake) => waiters.push(wake));
  };

  beforeAll(() => listener.subscribe(`${prefix}billing:balance-changed`));
  afterAll(async () => {
    await listener.quit();
    await redis.quit();
  });

  it("sends each account's latest state once per window, in the order the accounts changed", async () => {
    const changes = new BalanceChanges(redis);
    // Changes made in one turn of the event loop all fall in the same window.
    for (let balance = 1; balance <= 10; balance += 1) changes.publish(state('user-a', balance));
    changes.publish(state('user-b', 7));
    changes.publish(state('user-a', 12));
    await receivedAtLeast(2);
    changes.publish(state('user-a', 11));
    await receivedAtLeast(3);
    expect(received).toEqual([wire('user-a', 12), wire('user-b', 7), wire('user-a', 11)]);

    // Shutdown sends what is still gathered, without waiting for the window.
    changes.publish(state('user-b', 3));
    await changes.onApplicationShutdown();
    await receivedAtLeast(4);
    expect(received.at(-1)).toEqual(wire('user-b', 3));
  });
});
