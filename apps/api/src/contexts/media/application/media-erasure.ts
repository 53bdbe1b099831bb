import { Injectable, OnModuleInit } from '@nestjs/common';
import { MediaStore } from '@sah/domain';
import { MediaJobRepository } from '@sah/infrastructure';
import { AccountErasers } from '../../identity/account-deletion/account-erasers';

const BATCH = 100;

/**
 * An erased account's media: every job's files, then its rows (files first, as retention does). A job
 * still unsettled holds credits the ledger must settle first, so the account waits for the next run.
 */
@Injectable()
export class MediaErasure implements OnModuleInit {
  constructor(
    private readonly erasers: AccountErasers,
    private readonly jobs: MediaJobRepository,
    private readonly store: MediaStore,
  ) {}

  onModuleInit(): void {
    this.erasers.register('mediaJobs', (userId) => this.erase(userId));
  }

  private async erase(userId: string): Promise<void> {
    const unsettled = await this.jobs.countUnsettledOfUser(userId);
    if (unsettled > 0) throw new Error(`${unsettled} media job(s) of the account are not settled yet`);
    for (;;) {
      const jobs = await this.jobs.settledOfUser(userId, BATCH);
      for (const job of jobs) for (const file of job.results) await this.store.remove(file.key);
      await this.jobs.delete(jobs.map((job) => job.id));
      if (jobs.length < BATCH) return;
    }
  }
}
