import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject } from '@nestjs/common';
import { MailSender } from '@sah/domain';
import { MAIL_JOBS, QUEUES, SendMailPayload } from '@sah/infrastructure';
import { Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';
import { MailRenderers } from './mail-renderers';

/**
 * Sends `mail` jobs (only where workers run). Each attempt is bounded by the SMTP deadlines; a failure
 * is retried with exponential backoff, and after the last attempt the job stays failed: the
 * dead-letter list admins see. Logs name the job and kind, never the message (it may hold a code).
 */
@Processor(QUEUES.mail, { concurrency: 4 })
export class MailProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger: Logger;

  constructor(
    private readonly renderers: MailRenderers,
    private readonly sender: MailSender,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    super();
    this.logger = logger.child({ component: 'mail' });
  }

  async process(job: Job<SendMailPayload>): Promise<{ sent: boolean }> {
    if (job.name !== MAIL_JOBS.send) throw new Error(`No handler for mail job "${job.name}"`);
    const { kind, userId, params } = job.data;
    const message = await this.renderers.render(kind, userId, params);
    if (!message) {
      this.logger.info({ job_id: job.id, kind, user_id: userId }, 'mail no longer applies: skipped');
      return { sent: false };
    }
    await this.sender.send(message);
    this.logger.info({ job_id: job.id, kind, user_id: userId, attempt: job.attemptsMade + 1 }, 'mail sent');
    return { sent: true };
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<SendMailPayload> | undefined, error: Error): void {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      { err: { message: error.message }, job_id: job?.id, kind: job?.data.kind, attempts: job?.attemptsMade },
      final ? 'mail failed for good: dead-lettered' : 'mail attempt failed: will retry',
    );
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error, queue: QUEUES.mail }, 'queue worker error');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
