import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { parseRedisUrl, reconnectDelay } from '@sah/infrastructure';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { connectAtBoot } from './connect-at-boot';

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * The app's shared Redis client (BullMQ keeps its own connections). Commands fail fast while Redis
 * is unreachable instead of queueing, and a command a silent Redis does not answer fails at its
 * deadline, so a request gets an error rather than hanging. A connection that stays silent that
 * long with commands waiting is dropped and opened anew: a half-open connection (Redis failed over,
 * packets lost for good) would otherwise time out every command forever.
 */
@Global()
@Module({
  providers: [
    {
      provide: Redis,
      inject: [AppConfig, ROOT_LOGGER],
      useFactory: async (config: AppConfig, logger: Logger) => {
        const redis = new Redis({
          ...parseRedisUrl(config.redis.url),
          keyPrefix: config.redis.keyPrefix,
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: config.redis.connectTimeoutMs,
          commandTimeout: config.redis.commandTimeoutMs,
          socketTimeout: config.redis.commandTimeoutMs,
          // A command its caller was told had failed must not run later, on the next connection.
          autoResendUnfulfilledCommands: false,
          // Commands sent in the same turn of the event loop leave in one write (a gateway call's
          // request count, token take and plan cap): one system call, not one each.
          enableAutoPipelining: true,
          retryStrategy: reconnectDelay,
        });
        // Reconnection is automatic; without a listener an error event would only reach stderr.
        redis.on('error', (error: Error) => logger.warn({ err: error, component: 'redis' }, 'redis connection error'));
        await connectAtBoot(redis);
        return redis;
      },
    },
    RedisLifecycle,
  ],
  exports: [Redis],
})
export class RedisModule {}
