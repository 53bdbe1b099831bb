import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { QUEUES } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../platform/logging/logging.module';

/**
 * A BullMQ queue is an event emitter: an `error` event nobody listens to (Redis going away, a
 * connection closing at shutdown) would crash the process. Log it; BullMQ reconnects by itself.
 */
@Injectable()
export class QueueErrorListener implements OnModuleInit {
  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.queue.on('error', (error: Error) => this.logger.warn({ err: error, queue: this.queue.name }, 'queue error'));
  }
}
