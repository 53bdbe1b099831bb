import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { BILLING_JOBS, QUEUES } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { AppConfig } from '../../../config/app-config';

/** Declares the ledger's repeatable jobs (idempotent: every worker process may call it). */
@Injectable()
export class BillingScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.billing) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const name of Object.values(BILLING_JOBS)) {
      await this.queue.upsertJobScheduler(
        name,
        { every: this.config.billing.maintenanceEveryMs },
        {
          name,
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
}
