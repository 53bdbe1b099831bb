import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DailySummaryPayload, OPERATIONS_JOBS, QUEUES } from '@sah/infrastructure';
import { Queue } from 'bullmq';

/** 06:00 UTC: the day before is over everywhere in Europe and the Americas' evening is counted. */
export const DAILY_SUMMARY_PATTERN = '0 6 * * *';

/**
 * Declares the daily summary. `upsertJobScheduler` is idempotent and BullMQ makes one job per slot
 * of the schedule, so any number of workers declaring it still run one summary a day.
 */
@Injectable()
export class OperationsScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.operations) private readonly queue: Queue<DailySummaryPayload>) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      OPERATIONS_JOBS.dailySummary,
      { pattern: DAILY_SUMMARY_PATTERN, tz: 'UTC' },
      {
        name: OPERATIONS_JOBS.dailySummary,
        data: {},
        opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
      },
    );
  }
}
