import { Injectable } from '@nestjs/common';
import { DomainError, isTerminal, MediaJob, MediaStore } from '@sah/domain';
import { MediaJobRepository } from '@sah/infrastructure';
import { MediaUpdates } from './media-updates';

/** Result files and waiting for a job to finish, for the edges that answer synchronously. */
@Injectable()
export class MediaResults {
  constructor(
    private readonly store: MediaStore,
    private readonly jobs: MediaJobRepository,
    private readonly updates: MediaUpdates,
  ) {}

  async file(job: MediaJob, index: number): Promise<{ bytes: Buffer; contentType: string }> {
    const file = job.status === 'succeeded' ? job.results[index] : undefined;
    const bytes = file ? await this.store.read(file.key) : null;
    if (!file || !bytes) throw DomainError.notFound('Media file', { jobId: job.id, index });
    return { bytes, contentType: file.contentType };
  }

  /** Waits (on the job's update notifications, re-reading the row) until it has finished and settled, or the time is up. */
  async settled(job: MediaJob, timeoutMs: number): Promise<MediaJob> {
    const updates = await this.updates.updatesOf(job.userId);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const current = (await this.jobs.find(job.id)) ?? job;
        // Finished and paid for: callers read the balance right after.
        if ((isTerminal(current.status) && current.settledAt) || Date.now() >= deadline) return current;
        // A notification, or a periodic re-read in case one was missed (pub/sub is best effort).
        await Promise.race([updates.next(), new Promise((resolve) => setTimeout(resolve, Math.min(1_000, deadline - Date.now())))]);
      }
    } finally {
      await updates.return?.();
    }
  }
}
