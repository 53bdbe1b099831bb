import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject } from '@nestjs/common';
import { MAINTENANCE_JOBS, MaintenanceJobName, PurgeExpiredRowsPayload, QUEUES } from '@sah/infrastructure';
import { Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../platform/logging/logging.module';
import { PurgeExpiredRowsHandler } from './purge-expired-rows.handler';

type Handlers = { [Name in MaintenanceJobName]: (job: Job) => Promise<unknown> };

/** Runs only where workers run (WORKERS=inline in the API, or the worker process). */
@Processor(QUEUES.maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost implements BeforeApplicationShutdown {
  /** Exactly one handler per job name: the type makes a missing one a compile error. */
  private readonly handlers: Handlers;

  constructor(
    purgeExpiredRows: PurgeExpiredRowsHandler,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.handlers = {
      [MAINTENANCE_JOBS.purgeExpiredRows]: (job) => purgeExpiredRows.execute(job.data as PurgeExpiredRowsPayload),
    };
  }

  async process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as MaintenanceJobName];
    if (!handler) throw new Error(`No handler for maintenance job "${job.name}"`);
    const result = await handler(job);
    this.logger.info({ queue: QUEUES.maintenance, job: job.name, job_id: job.id, result }, 'maintenance job done');
    return result;
  }

  /** BullMQ reconnects by itself; an unheard error event would crash the process instead. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error, queue: QUEUES.maintenance }, 'queue worker error');
  }

  /**
   * Finish the job in hand before the database and Redis clients close (they close in the later
   * onApplicationShutdown phase).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
