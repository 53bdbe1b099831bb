import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { DomainError, isDomainError, UserRepository } from '@sah/domain';
import { QUEUES, SendMailPayload } from '@sah/infrastructure';
import { Job, Queue } from 'bullmq';
import { isUUID } from 'class-validator';
import { AppConfig } from '../../config/app-config';
import { AuditLog } from '../../contexts/identity/application/audit-log.service';
import type { Principal } from '../auth/principal';
import { FailedMailObject } from './failed-mail.object';
import { withinRedisDeadline } from './redis-deadline';

/** The most failed mails listed at once: the dead-letter list is for attention, not for archives. */
export const FAILED_MAILS_LIMIT = 100;

/** The dead-letter list: mails whose attempts are used up, for admins to see and send again. */
@Injectable()
export class FailedMails {
  constructor(
    @InjectQueue(QUEUES.mail) private readonly queue: Queue<SendMailPayload>,
    private readonly users: UserRepository,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  /** Newest failure first. */
  async list(): Promise<FailedMailObject[]> {
    const jobs = await this.bounded(this.queue.getFailed(0, FAILED_MAILS_LIMIT - 1));
    return Promise.all(jobs.map((job) => this.toObject(job)));
  }

  /** Sends a failed mail again with a fresh set of attempts; rendered anew, so codes and links are fresh too. */
  async retry(principal: Principal, id: string): Promise<FailedMailObject> {
    const job = id.startsWith('mail-') ? await this.bounded(this.queue.getJob(id)) : undefined;
    if (!job || !(await this.bounded(job.isFailed()))) throw DomainError.notFound('FailedMail', { id });
    const failed = await this.toObject(job);
    try {
      await this.bounded(job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }));
    } catch (error) {
      // Another admin's retry got there first: the mail is no longer among the failed ones.
      if (!isDomainError(error) && !(await this.bounded(job.isFailed()))) throw DomainError.notFound('FailedMail', { id });
      throw error;
    }
    await this.audit.record(principal.userId, 'mail.retried', {
      targetType: 'mail',
      targetId: id,
      details: { kind: failed.kind, userId: failed.userId, error: failed.error },
    });
    return failed;
  }

  private bounded<T>(work: Promise<T>): Promise<T> {
    return withinRedisDeadline(work, this.config.redis.commandTimeoutMs);
  }

  private async toObject(job: Job<SendMailPayload>): Promise<FailedMailObject> {
    const user = isUUID(job.data.userId) ? await this.users.findById(job.data.userId) : null;
    return Object.assign(new FailedMailObject(), {
      id: job.id,
      kind: job.data.kind,
      userId: job.data.userId,
      recipient: user?.email.value ?? null,
      attempts: job.attemptsMade,
      error: job.failedReason ?? 'unknown',
      queuedAt: new Date(job.timestamp),
      failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    });
  }
}
