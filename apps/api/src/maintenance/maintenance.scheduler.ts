import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MAINTENANCE_JOBS, PurgeExpiredRowsPayload, QUEUES } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';

/**
 * Declares the repeatable jobs. `upsertJobScheduler` is idempotent, so every process that runs
 * workers may call it at start without creating duplicates.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const data: PurgeExpiredRowsPayload = { batchSize: this.config.maintenance.purgeBatchSize };
    await this.queue.upsertJobScheduler(
      MAINTENANCE_JOBS.purgeExpiredRows,
      { every: this.config.maintenance.purgeEveryMs },
      {
        name: MAINTENANCE_JOBS.purgeExpiredRows,
        data,
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
