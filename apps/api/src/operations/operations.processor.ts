import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject } from '@nestjs/common';
import { DailySummaryPayload, OPERATIONS_JOBS, QUEUES } from '@sah/infrastructure';
import { Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../platform/logging/logging.module';
import { DailySummaryHandler } from './daily-summary.handler';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs only where workers run (WORKERS=inline in the API, or the worker process). */
@Processor(QUEUES.operations, { concurrency: 1 })
export class OperationsProcessor extends WorkerHost implements BeforeApplicationShutdown {
  constructor(
    private readonly dailySummary: DailySummaryHandler,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async process(job: Job<DailySummaryPayload>): Promise<unknown> {
    if (job.name !== OPERATIONS_JOBS.dailySummary) throw new Error(`No handler for operations job "${job.name}"`);
    // The scheduled run reports the UTC day before the one it was scheduled for.
    const day = job.data.day ?? new Date(job.timestamp - DAY_MS).toISOString().slice(0, 10);
    const result = await this.dailySummary.execute(day);
    this.logger.info({ queue: QUEUES.operations, job: job.name, job_id: job.id, result }, 'daily summary queued');
    return result;
  }

  /** BullMQ reconnects by itself; an unheard error event would crash the process instead. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error, queue: QUEUES.operations }, 'queue worker error');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
