import type Redis from 'ioredis';

/** How long start-up waits for Redis to answer before it gives up. */
const BOOT_DEADLINE_MS = 10_000;

/**
 * Connects a lazily connecting client for start-up. The first try can fail on a slow answer (a loaded
 * host, Redis still loading its data) although the client reconnects by itself: start-up waits for one
 * of those reconnects up to its deadline instead of failing on the first try.
 */
export async function connectAtBoot(redis: Redis, deadlineMs = BOOT_DEADLINE_MS): Promise<void> {
  const firstTry = await redis.connect().then(
    () => undefined,
    (error: Error) => error,
  );
  if (!firstTry || redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      redis.disconnect();
      reject(firstTry);
    }, deadlineMs);
    redis.once('ready', onReady);
  });
}
