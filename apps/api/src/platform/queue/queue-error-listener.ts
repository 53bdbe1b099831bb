import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { QUEUES } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';

/**
 * Logs the errors of every queue this process registered (each owning module registers its own).
 * BullMQ passes a queue's Redis connection errors on only to `error` listeners: without one, Redis
 * going away would leave no trace. BullMQ reconnects by itself.
 */
@Injectable()
export class QueueErrorListener implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    for (const name of Object.values(QUEUES)) {
      const queue = this.registered(name);
      queue?.on('error', (error: Error) => this.logger.warn({ err: error, queue: name }, 'queue error'));
    }
  }

  private registered(name: string): Queue | undefined {
    try {
      return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    } catch {
      return undefined;
    }
  }
}
