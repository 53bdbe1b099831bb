import type { Logger } from 'pino';
import type { EnvironmentConfig } from '../config/environment';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startLocalRedis } from './local-redis';
import type { LocalService } from './local-service';

export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
}

/**
 * Supplies whichever of DATABASE_URL and REDIS_URL is missing by starting a local server, so
 * `npm start` works on a fresh machine with nothing configured.
 */
export async function provideServices(
  parsed: EnvironmentConfig,
  logger: Logger,
): Promise<{ urls: ServiceUrls; stop: () => Promise<void> }> {
  const started: LocalService[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.stop();
  };
  try {
    let databaseUrl = parsed.database.url;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres(parsed.localServices.dataDir, parsed.localServices.postgresPort, logger);
      started.push(postgres);
      databaseUrl = postgres.url;
    }
    let redisUrl = parsed.redis.url;
    if (!redisUrl) {
      const redis = await startLocalRedis(parsed.localServices.dataDir, parsed.localServices.redisPort, logger);
      started.push(redis);
      redisUrl = redis.url;
    }
    return { urls: { databaseUrl, redisUrl }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
