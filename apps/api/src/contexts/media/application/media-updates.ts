import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { MediaJob } from '@sah/domain';
import { PubSub } from 'graphql-subscriptions';
import Redis from 'ioredis';

const CHANNEL = 'media:job-updated';
/** Admins listen to every user's jobs on this topic. */
export const ALL_USERS = '*';

/** A job's state as it was published: what the `mediaJobUpdated` subscription shows. */
export interface MediaJobUpdate {
  jobId: string;
  userId: string;
}

/**
 * Job changes fanned out to every API instance over Redis pub/sub (workers may run elsewhere), then
 * to this instance's subscribers, who re-read the job. Best effort: the job row is the record.
 */
@Injectable()
export class MediaUpdates implements OnApplicationShutdown {
  private readonly local = new PubSub<Record<string, MediaJobUpdate>>();
  private subscriber?: Redis;

  constructor(private readonly redis: Redis) {}

  publish(job: Pick<MediaJob, 'id' | 'userId'>): void {
    const update: MediaJobUpdate = { jobId: job.id, userId: job.userId };
    void this.redis.publish(this.channel(), JSON.stringify(update)).catch(() => undefined);
  }

  /** A user's job updates, or everyone's for `ALL_USERS`. */
  async updatesOf(userId: string): Promise<AsyncIterableIterator<MediaJobUpdate>> {
    await this.ensureSubscribed();
    return this.local.asyncIterableIterator(userId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = this.redis.duplicate({ keyPrefix: undefined, enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const update = JSON.parse(message) as MediaJobUpdate;
      void this.local.publish(update.userId, update);
      void this.local.publish(ALL_USERS, update);
    });
    await this.subscriber.subscribe(this.channel());
  }

  private channel(): string {
    return `${this.redis.options.keyPrefix ?? ''}${CHANNEL}`;
  }
}
