import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { MAIL_JOBS, QUEUES, SendMailPayload } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { OutboxEvent, OutboxHandlers } from '../outbox/outbox-handlers';
import { MailParams, MailRenderers } from './mail-renderers';
import { withinRedisDeadline } from './redis-deadline';

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Turns stored events into `mail` jobs. The mail is thus written to the outbox in the transaction of
 * the change that causes it, and leaves the request path: the relay enqueues it, a worker sends it.
 */
@Injectable()
export class MailQueue {
  constructor(
    @InjectQueue(QUEUES.mail) private readonly queue: Queue<SendMailPayload>,
    private readonly outbox: OutboxHandlers,
    private readonly renderers: MailRenderers,
    private readonly config: AppConfig,
  ) {}

  /** Each event of `eventType` mails one `kind` to the user `recipient(event)` names (nothing if it names none). */
  onEvent(eventType: string, kind: string, recipient: (event: OutboxEvent) => { userId: string; params?: MailParams } | null): void {
    this.outbox.on(eventType, async (event) => {
      const mail = recipient(event);
      if (mail) await this.enqueue(`${event.id}-${kind}`, { kind, userId: mail.userId, params: mail.params ?? {} });
    });
  }

  /** Mails one `kind` to a user outside any event (scheduled mails); `key` makes repeats add nothing. */
  async sendOnce(key: string, kind: string, userId: string, params: MailParams = {}): Promise<void> {
    await this.enqueue(key, { kind, userId, params });
  }

  /**
   * The job id is derived from the event: a relay that delivers the event again adds nothing while
   * the first job is kept (a day once sent; a failed one 30 days, for admins to retry).
   */
  private async enqueue(key: string, payload: SendMailPayload): Promise<void> {
    if (!this.renderers.has(payload.kind)) throw new Error(`No renderer for mail kind "${payload.kind}"`);
    // Bounded: a silent Redis fails the event (the relay retries it later) instead of holding its batch.
    await withinRedisDeadline(
      this.queue.add(MAIL_JOBS.send, payload, {
        jobId: `mail-${key}`,
        attempts: this.config.mail.attempts,
        backoff: { type: 'exponential', delay: this.config.mail.backoffMs },
        removeOnComplete: { age: DAY_SECONDS },
        removeOnFail: { age: 30 * DAY_SECONDS },
      }),
      this.config.redis.commandTimeoutMs,
    );
  }
}
