import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject } from '@nestjs/common';
import { DATA_EXPORT_JOBS, DataExportPayload, QUEUES } from '@sah/infrastructure';
import { Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { DataExports } from './data-exports.service';

/** Builds GDPR exports; runs only where workers run. */
@Processor(QUEUES.dataExport, { concurrency: 1 })
export class DataExportProcessor extends WorkerHost implements BeforeApplicationShutdown {
  constructor(
    private readonly exports: DataExports,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async process(job: Job<DataExportPayload>): Promise<unknown> {
    if (job.name !== DATA_EXPORT_JOBS.build) throw new Error(`No handler for data export job "${job.name}"`);
    const result = await this.exports.build(job.data.exportId);
    this.logger.info({ queue: QUEUES.dataExport, job: job.name, job_id: job.id, result }, 'data export job done');
    return result;
  }

  /** Out of attempts: the export is marked failed, so the owner can ask again. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<DataExportPayload> | undefined, error: Error): Promise<void> {
    this.logger.warn({ err: error, queue: QUEUES.dataExport, job_id: job?.id }, 'data export job failed');
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) await this.exports.fail(job.data.exportId);
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error, queue: QUEUES.dataExport }, 'queue worker error');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
