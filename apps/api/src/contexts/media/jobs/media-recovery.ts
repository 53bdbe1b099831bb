import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MediaJobRepository } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { MediaSettlement } from '../application/media-settlement';

const BATCH = 100;

/**
 * Settles finished jobs a crash left unsettled (a process that died between a job's last transition
 * and its ledger call, e.g. a cancellation in the API). Queue jobs settle their own when BullMQ
 * retries them; this catches those no queue job will see again. Runs where workers start.
 */
@Injectable()
export class MediaRecovery implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    private readonly jobs: MediaJobRepository,
    private readonly settlement: MediaSettlement,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'media' });
  }

  onApplicationBootstrap(): void {
    void this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'media settlement sweep failed'));
  }

  /** Settles every unsettled finished job; answers how many. */
  async sweep(): Promise<number> {
    let settled = 0;
    for (;;) {
      const ids = await this.jobs.unsettled(BATCH);
      for (const id of ids) {
        const job = await this.jobs.find(id);
        if (job) await this.settlement.settle(job);
      }
      settled += ids.length;
      if (ids.length < BATCH) return settled;
    }
  }
}
