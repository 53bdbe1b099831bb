import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { parseRedisUrl, reconnectDelay } from '@sah/infrastructure';
import { AppConfig } from '../../config/app-config';
import { queueTelemetry } from '../tracing/tracing';
import { CountingWorker } from './counting-worker';
import { QueueErrorListener } from './queue-error-listener';

// Every @Processor's worker, in API and worker processes alike.
BullModule.workerClass = CountingWorker;

/**
 * A BullMQ connection silent this long while a command waits is dropped and reopened (a half-open
 * connection would otherwise wait forever). Longer than BullMQ's longest blocking wait (10 s).
 */
const QUEUE_SOCKET_TIMEOUT_MS = 15_000;

/** BullMQ on the configured Redis; queues are registered by the modules that own them. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: {
          ...parseRedisUrl(config.redis.url),
          // Required by BullMQ workers: blocking commands must wait for Redis to come back.
          maxRetriesPerRequest: null,
          retryStrategy: reconnectDelay,
          connectTimeout: config.redis.connectTimeoutMs,
          socketTimeout: QUEUE_SOCKET_TIMEOUT_MS,
        },
        prefix: `${config.redis.keyPrefix}bull`,
        // Queues and workers alike: job spans continue the trace that enqueued them.
        ...queueTelemetry(),
      }),
    }),
  ],
  providers: [QueueErrorListener],
  exports: [BullModule],
})
export class QueueModule {}
