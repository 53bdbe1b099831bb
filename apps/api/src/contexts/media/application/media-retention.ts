import { Injectable, OnModuleInit } from '@nestjs/common';
import { MEDIA_RETENTION_CLASSES, MediaRetentionClass, MediaStore } from '@sah/domain';
import { MediaJobRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { RetentionPurges } from '../../../maintenance/retention-purges';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Finished jobs are kept per retention class: succeeded ones and their files MEDIA_RETENTION_DAYS (a
 * year), those that ended without a result MEDIA_TEMPORARY_RETENTION_DAYS (30 days). Then the
 * maintenance job deletes files and rows together, a batch at a time until none is left: files first,
 * so a crash leaves a row pointing at nothing rather than a file nobody can find.
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
    const days: Record<MediaRetentionClass, number> = { results: this.config.media.retentionDays, temporary: this.config.media.temporaryRetentionDays };
    this.purges.register('mediaJobs', async (now, batchSize) => {
      let deleted = 0;
      for (const retentionClass of Object.keys(days) as MediaRetentionClass[]) {
        deleted += await this.purge(retentionClass, new Date(now.getTime() - days[retentionClass] * DAY_MS), batchSize);
      }
      return deleted;
    });
  }

  private async purge(retentionClass: MediaRetentionClass, before: Date, batchSize: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const jobs = await this.jobs.settledBefore(before, batchSize, MEDIA_RETENTION_CLASSES[retentionClass]);
      for (const job of jobs) for (const file of job.results) await this.store.remove(file.key);
      deleted += await this.jobs.delete(jobs.map((job) => job.id));
      if (jobs.length < batchSize) return deleted;
    }
  }
}
