import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { deleteRedisKeys } from '../testing';
import { PeriodCounter } from './period-counter';

describe('PeriodCounter', () => {
  const url = process.env.TEST_REDIS_URL as string;
  const redis = new Redis(url);
  const namespace = `test:period:${randomUUID()}`;
  const counter = new PeriodCounter(redis, namespace);
  const inAMinute = () => new Date(Date.now() + 60_000);

  afterAll(async () => {
    redis.disconnect();
    await deleteRedisKeys(url, namespace);
  });

  it('counts up to the cap, refuses past it without counting, and takes back what is given back', async () => {
    const key = randomUUID();
    expect(await counter.take(key, 2, inAMinute())).toEqual({ allowed: true, used: 1 });
    expect(await counter.take(key, 2, inAMinute())).toEqual({ allowed: true, used: 2 });
    expect(await counter.take(key, 2, inAMinute())).toEqual({ allowed: false, used: 2 });
    expect(await counter.count(key)).toBe(2);
    await counter.giveBack(key);
    expect(await counter.take(key, 2, inAMinute())).toEqual({ allowed: true, used: 2 });
  });

  it('never passes the cap under concurrent takes', async () => {
    const key = randomUUID();
    const takes = await Promise.all(Array.from({ length: 50 }, () => counter.take(key, 20, inAMinute())));
    expect(takes.filter((take) => take.allowed)).toHaveLength(20);
    expect(await counter.count(key)).toBe(20);
  });

  it('forgets the count when the period has expired, and gives back nothing below zero', async () => {
    const key = randomUUID();
    await counter.take(key, 5, new Date(Date.now() + 50));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await counter.count(key)).toBe(0);
    await counter.giveBack(key);
    expect(await redis.exists(`${namespace}:${key}`)).toBe(0);
  });
});
