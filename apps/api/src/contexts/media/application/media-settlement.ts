import { Inject, Injectable } from '@nestjs/common';
import { DomainError, MediaJob, settlementOf } from '@sah/domain';
import { MediaJobRepository } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { LedgerService, requestHash } from '../../billing/application/ledger.service';

/**
 * Settles a finished job's hold exactly once, through billing's public service: capture on success,
 * release otherwise. Both ledger calls answer a replay the same way, so a crash between the ledger
 * call and `markSettled` is repaired by running this again. So they commit relaxed: the job's end was
 * committed durably before, and a settlement a database crash loses leaves it finished and unsettled,
 * which the sweep settles again.
 */
@Injectable()
export class MediaSettlement {
  private readonly logger: Logger;

  constructor(
    private readonly ledger: LedgerService,
    private readonly jobs: MediaJobRepository,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'media' });
  }

  async settle(job: MediaJob): Promise<void> {
    if (job.settledAt) return;
    const action = settlementOf(job.status);
    if (!action) return;
    if (action === 'capture') await this.charge(job);
    else await this.ledger.release(job.holdId, 'relaxed');
    await this.jobs.markSettled(job.id, job.status);
  }

  private async charge(job: MediaJob): Promise<void> {
    const reason = `${job.kind} job ${job.id} (${job.model})`;
    const metadata = { mediaJobId: job.id, model: job.model };
    try {
      await this.ledger.capture(job.holdId, job.price, { reason, metadata, commit: 'relaxed' });
    } catch (error) {
      // The hold was already released: the job expired and the provider finished after all. It is
      // charged on the account the hold was on (a team's wallet or the user's) by a debit keyed by the
      // job, so this too happens once.
      if (!(error instanceof DomainError && error.code === 'CONFLICT')) throw error;
      this.logger.info({ media_job_id: job.id }, 'late media success: charged after its hold was released');
      await this.ledger.chargeAfterRelease({
        holdId: job.holdId,
        userId: job.userId,
        amount: job.price,
        reason: `${reason}, finished after its deadline`,
        metadata: { ...metadata, late: true },
        idempotency: { scope: 'media-job', key: job.id, requestHash: requestHash({ job: job.id, price: job.price.millis.toString() }) },
      });
    }
  }
}
