import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap } from '@nestjs/common';
import { MediaJob } from '@sah/domain';
import { MEDIA_JOBS, MediaJobPayload, QUEUES } from '@sah/infrastructure';
import { DelayedError, Job } from 'bullmq';
import type { Logger } from 'pino';
import { AppConfig } from '../../../config/app-config';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { MediaJobRunner } from '../application/media-job-runner';

/**
 * Runs a media job's steps until it must wait; a wait (a poll, a retry after a provider failure) is
 * the same BullMQ job moved to delayed, never a sleeping worker. A killed worker's job is stalled and
 * picked up by another, which re-reads the state and carries on from it.
 */
abstract class MediaProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected abstract readonly queueName: string;

  constructor(
    private readonly runner: MediaJobRunner,
    protected readonly logger: Logger,
    private readonly concurrency: number,
  ) {
    super();
  }

  /** Concurrency is a setting (MEDIA_IMAGE_CONCURRENCY, MEDIA_VIDEO_CONCURRENCY), not a constant of the decorator. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.concurrency;
  }

  async process(job: Job<MediaJobPayload>, token?: string): Promise<void> {
    if (job.name !== MEDIA_JOBS.run) throw new Error(`No handler for media job "${job.name}"`);
    // Read at the start of each run; within it, a step goes on from the row its predecessor wrote.
    let current: MediaJob | undefined;
    for (;;) {
      const next = await this.runner.step(job.data.mediaJobId, new Date(), current);
      if (next.done) return;
      if (next.delayMs > 0) {
        await job.moveToDelayed(Date.now() + next.delayMs, token);
        throw new DelayedError();
      }
      current = next.job;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<MediaJobPayload> | undefined, error: Error): void {
    this.logger.warn({ err: { message: error.message }, queue: this.queueName, media_job_id: job?.data.mediaJobId, attempts: job?.attemptsMade }, 'media job step failed');
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error, queue: this.queueName }, 'queue worker error');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}

@Processor(QUEUES.mediaImage)
export class MediaImageProcessor extends MediaProcessor {
  protected readonly queueName = QUEUES.mediaImage;

  constructor(runner: MediaJobRunner, config: AppConfig, @Inject(ROOT_LOGGER) logger: Logger) {
    super(runner, logger.child({ component: 'media' }), config.media.imageConcurrency);
  }
}

@Processor(QUEUES.mediaVideo)
export class MediaVideoProcessor extends MediaProcessor {
  protected readonly queueName = QUEUES.mediaVideo;

  constructor(runner: MediaJobRunner, config: AppConfig, @Inject(ROOT_LOGGER) logger: Logger) {
    super(runner, logger.child({ component: 'media' }), config.media.videoConcurrency);
  }
}
