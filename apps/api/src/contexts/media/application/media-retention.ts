import { Injectable, OnModuleInit } from '@nestjs/common';
import { MediaStore } from '@sah/domain';
import { MediaJobRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { RetentionPurges } from '../../../maintenance/retention-purges';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Finished jobs are kept MEDIA_RETENTION_DAYS (a year by default), then the maintenance job deletes
 * their files and rows together: files first, so a crash leaves a row pointing at nothing rather
 * than a file nobody can find.
 */
@Injectable()
export class MediaRetention implements OnModuleInit {
  constructor(
    private readonly purges: RetentionPurges,
    private readonly jobs: MediaJobRepository,
    private readonly store: MediaStore,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.purges.register('mediaJobs', (now, batchSize) => this.purge(new Date(now.getTime() - this.config.media.retentionDays * DAY_MS), batchSize));
  }

  private async purge(before: Date, batchSize: number): Promise<number> {
    const jobs = await this.jobs.settledBefore(before, batchSize);
    for (const job of jobs) for (const file of job.results) await this.store.remove(file.key);
    return this.jobs.delete(jobs.map((job) => job.id));
  }
}
