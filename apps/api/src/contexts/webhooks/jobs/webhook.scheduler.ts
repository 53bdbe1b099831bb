import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { WEBHOOK_JOBS, WEBHOOK_QUEUE } from '@sah/infrastructure';
import { Queue } from 'bullmq';

const SWEEP_EVERY_MS = 60_000;

/** Declares the sweep of lost deliveries (idempotent: every worker process may call it). */
@Injectable()
export class WebhookScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      WEBHOOK_JOBS.sweep,
      { every: SWEEP_EVERY_MS },
      {
        name: WEBHOOK_JOBS.sweep,
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 5_000 },
          removeOnComplete: { count: 100 },
          removeOnFail: { count: 500 },
        },
      },
    );
  }
}
