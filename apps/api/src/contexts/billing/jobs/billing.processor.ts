import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject } from '@nestjs/common';
import { BILLING_JOBS, BillingJobName, QUEUES } from '@sah/infrastructure';
import { Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { RedeemPromoCode } from '../promotions/application/redeem-promo-code.handler';
import { LedgerHousekeeping } from './ledger-housekeeping';

type Handlers = { [Name in BillingJobName]: (job: Job) => Promise<unknown> };

/** Runs only where workers run (WORKERS=inline in the API, or the worker process). */
@Processor(QUEUES.billing, { concurrency: 1 })
export class BillingProcessor extends WorkerHost implements BeforeApplicationShutdown {
  /** Exactly one handler per job name: the type makes a missing one a compile error. */
  private readonly handlers: Handlers;

  constructor(
    housekeeping: LedgerHousekeeping,
    redemptions: RedeemPromoCode,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.handlers = {
      [BILLING_JOBS.releaseExpiredHolds]: () => housekeeping.releaseExpiredHolds(),
      [BILLING_JOBS.expireLapsedCredits]: () => housekeeping.expireLapsedCredits(),
      [BILLING_JOBS.completeUnpaidRedemptions]: () => redemptions.completeUnpaid(),
    };
  }

  async process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as BillingJobName];
    if (!handler) throw new Error(`No handler for billing job "${job.name}"`);
    const result = await handler(job);
    this.logger.debug({ queue: QUEUES.billing, job: job.name, job_id: job.id, result }, 'billing job done');
    return result;
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error, queue: QUEUES.billing }, 'queue worker error');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
