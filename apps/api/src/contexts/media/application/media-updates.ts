import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Credits, MediaJob } from '@sah/domain';
import Redis from 'ioredis';
import { LocalTopics } from '../../../platform/events/local-topics';

const CHANNEL = 'media:job-updated';
/** Admins listen to every user's jobs on this topic. */
export const ALL_USERS = '*';

/** A job's state as it was published: what the `mediaJobUpdated` subscription shows (each status, in order). */
export interface MediaJobUpdate {
  userId: string;
  job: MediaJob;
}

type WireJob = Omit<MediaJob, 'price' | 'settledAt' | 'createdAt' | 'updatedAt' | 'deadlineAt' | 'finishedAt'> & {
  price: string;
  settledAt: string | null;
  createdAt: string;
  updatedAt: string;
  deadlineAt: string;
  finishedAt: string | null;
};

const toWire = (job: MediaJob): WireJob => ({
  ...job,
  price: job.price.millis.toString(),
  settledAt: job.settledAt?.toISOString() ?? null,
  createdAt: job.createdAt.toISOString(),
  updatedAt: job.updatedAt.toISOString(),
  deadlineAt: job.deadlineAt.toISOString(),
  finishedAt: job.finishedAt?.toISOString() ?? null,
});

const fromWire = (job: WireJob): MediaJob => ({
  ...job,
  price: Credits.fromMillis(job.price),
  settledAt: job.settledAt ? new Date(job.settledAt) : null,
  createdAt: new Date(job.createdAt),
  updatedAt: new Date(job.updatedAt),
  deadlineAt: new Date(job.deadlineAt),
  finishedAt: job.finishedAt ? new Date(job.finishedAt) : null,
});

/**
 * Job changes fanned out to every API instance over Redis pub/sub (workers may run elsewhere), then
 * to this instance's subscribers. Each message carries the job as written, so subscribers see every
 * status in order. Best effort: the job row is the record.
 */
@Injectable()
export class MediaUpdates implements OnApplicationShutdown {
  private readonly local = new LocalTopics<MediaJobUpdate>();
  private subscriber?: Redis;

  constructor(private readonly redis: Redis) {}

  publish(job: MediaJob): void {
    void this.redis.publish(this.channel(), JSON.stringify(toWire(job))).catch(() => undefined);
  }

  /** A user's job updates, or everyone's for `ALL_USERS`. */
  async updatesOf(userId: string): Promise<AsyncIterableIterator<MediaJobUpdate>> {
    await this.ensureSubscribed();
    return this.local.listen(userId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = this.redis.duplicate({ keyPrefix: undefined, enableOfflineQueue: true, enableAutoPipelining: false });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const job = fromWire(JSON.parse(message) as WireJob);
      const update: MediaJobUpdate = { userId: job.userId, job };
      this.local.publish(update.userId, update);
      this.local.publish(ALL_USERS, update);
    });
    await this.subscriber.subscribe(this.channel());
  }

  private channel(): string {
    return `${this.redis.options.keyPrefix ?? ''}${CHANNEL}`;
  }
}
