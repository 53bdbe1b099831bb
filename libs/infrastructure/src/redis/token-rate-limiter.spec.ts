import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TokenRateLimiter } from './token-rate-limiter';

describe('TokenRateLimiter', () => {
  const redis = new Redis(process.env.TEST_REDIS_URL as string);
  const namespace = `test:tpm:${randomUUID()}`;
  const limiter = new TokenRateLimiter(redis, namespace);
  const WINDOW = 60_000;
  let key: string;

  beforeEach(() => {
    key = randomUUID();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('takes estimates within the limit, counts corrections, and refuses past it with the time until enough ages out', async () => {
    expect(await limiter.take(key, 'a', 600, 1000, WINDOW)).toMatchObject({ allowed: true, used: 600 });
    await limiter.correct(key, 'a', 20);
    expect(await limiter.take(key, 'b', 600, 1000, WINDOW)).toMatchObject({ allowed: true, used: 620 });

    const refused = await limiter.take(key, 'c', 400, 1000, WINDOW);
    expect(refused).toMatchObject({ allowed: false, used: 620 });
    // Only b's 600 aging out makes room, and b was taken just now.
    expect(refused.retryAfterMs).toBeGreaterThan(WINDOW - 5_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(WINDOW);
    // A refusal took nothing; a call corrected to 0 frees all it took.
    expect(await limiter.take(key, 'd', 380, 1000, WINDOW)).toMatchObject({ allowed: true, used: 1000 });
    await limiter.correct(key, 'b', 0);
    expect(await limiter.take(key, 'e', 600, 1000, WINDOW)).toMatchObject({ allowed: true, used: 1000 });
  });

  it('refuses an estimate over the limit on its own for the whole window', async () => {
    expect(await limiter.take(key, 'a', 1001, 1000, WINDOW)).toEqual({ allowed: false, limit: 1000, used: 0, retryAfterMs: WINDOW });
  });

  it('lets calls age out of the window and out of the running total', async () => {
    // Long enough that the first two takes fall in one window on a loaded machine.
    const window = 2_000;
    expect((await limiter.take(key, 'a', 700, 1000, window)).allowed).toBe(true);
    expect((await limiter.take(key, 'b', 700, 1000, window)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, window + 50));
    expect(await limiter.take(key, 'b', 700, 1000, window)).toMatchObject({ allowed: true, used: 700 });
    // Correcting a call that aged out changes nothing.
    await new Promise((resolve) => setTimeout(resolve, window + 50));
    await limiter.correct(key, 'b', 5);
    expect(await limiter.take(key, 'c', 1000, 1000, window)).toMatchObject({ allowed: true, used: 1000 });
  });

  it('never lets concurrent takes together pass the limit', async () => {
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => limiter.take(key, `call-${i}`, 100, 1000, WINDOW)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
  });

  it('sends the script itself when Redis does not have it cached', async () => {
    const forgetful = {
      evalsha: () => Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.')),
      eval: (...args: Parameters<Redis['eval']>) => redis.eval(...args),
    } as unknown as Redis;
    const cold = new TokenRateLimiter(forgetful, namespace);
    expect(await cold.take(key, 'a', 10, 1000, WINDOW)).toMatchObject({ allowed: true, used: 10 });
    await cold.correct(key, 'a', 4);
    expect(await limiter.take(key, 'b', 10, 1000, WINDOW)).toMatchObject({ allowed: true, used: 14 });
  });
});
