import { Injectable } from '@nestjs/common';
import { assertCancellable, can, DomainError, MediaJob, MediaJobStatus, MediaKind } from '@sah/domain';
import { MediaJobFilter, MediaJobRepository } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { MediaSettlement } from './media-settlement';
import { MediaUpdates } from './media-updates';

/** Admins (ai:manage) see every user's jobs; everyone else only their own. */
export function seesAllMediaJobs(principal: Principal): boolean {
  return can(principal.role, 'ai:manage');
}

/** Reading and cancelling jobs, scoped to who asks: another user's job is NOT_FOUND, never FORBIDDEN. */
@Injectable()
export class MediaJobs {
  constructor(
    private readonly jobs: MediaJobRepository,
    private readonly settlement: MediaSettlement,
    private readonly updates: MediaUpdates,
  ) {}

  async get(principal: Principal, id: string): Promise<MediaJob> {
    const job = /^[0-9a-f-]{36}$/i.test(id) ? await this.jobs.find(id) : null;
    if (!job || (job.userId !== principal.userId && !seesAllMediaJobs(principal))) throw DomainError.notFound('Media job', { id });
    return job;
  }

  /** Only the owner's own jobs are read through this (file downloads): admins too get 404 for others'. */
  async getOwn(userId: string, id: string): Promise<MediaJob> {
    const job = /^[0-9a-f-]{36}$/i.test(id) ? await this.jobs.find(id) : null;
    if (!job || job.userId !== userId) throw DomainError.notFound('Media job', { id });
    return job;
  }

  page(
    principal: Principal,
    filter: { status?: MediaJobStatus; kind?: MediaKind; model?: string; userId?: string },
    offset: number,
    limit: number,
  ): Promise<{ items: MediaJob[]; total: number }> {
    if (filter.userId && filter.userId !== principal.userId && !seesAllMediaJobs(principal)) {
      throw new DomainError('FORBIDDEN', 'Only administrators see other users’ media jobs', { permission: 'ai:manage' });
    }
    const scoped: MediaJobFilter = { ...filter, userId: seesAllMediaJobs(principal) ? filter.userId : principal.userId };
    return this.jobs.page(scoped, offset, limit);
  }

  /** Cancels a job no provider has seen yet; its hold is released. */
  async cancel(principal: Principal, id: string): Promise<MediaJob> {
    const job = await this.get(principal, id);
    assertCancellable(job);
    const cancelled = await this.jobs.transition(job.id, 'cancel', 'cancelled', {
      error: { code: 'CANCELLED', message: 'Cancelled before generation; nothing was charged' },
    });
    // A worker moved it past the point of no return in the meantime.
    if (!cancelled) assertCancellable((await this.jobs.find(job.id)) ?? job);
    if (!cancelled) throw new DomainError('CONFLICT', 'The media job changed meanwhile; try again');
    await this.settlement.settle(cancelled);
    this.updates.publish(cancelled);
    return cancelled;
  }
}
