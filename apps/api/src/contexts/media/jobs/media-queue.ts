import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { MediaKind } from '@sah/domain';
import { MEDIA_JOBS, MediaJobPayload, QUEUES } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { AppConfig } from '../../../config/app-config';
import { withinRedisDeadline } from '../../../platform/mail/redis-deadline';

const DAY_SECONDS = 24 * 60 * 60;

/** Puts media jobs on their queue: the BullMQ job id is the media job id, so adding twice adds once. */
@Injectable()
export class MediaQueue {
  constructor(
    @InjectQueue(QUEUES.mediaImage) private readonly images: Queue<MediaJobPayload>,
    @InjectQueue(QUEUES.mediaVideo) private readonly videos: Queue<MediaJobPayload>,
    private readonly config: AppConfig,
  ) {}

  async enqueue(kind: MediaKind, mediaJobId: string): Promise<void> {
    const queue = kind === 'image' ? this.images : this.videos;
    await withinRedisDeadline(
      queue.add(
        MEDIA_JOBS.run,
        { mediaJobId },
        {
          jobId: mediaJobId,
          // Unexpected errors (database or Redis away) only: provider failures are counted on the job.
          attempts: 20,
          backoff: { type: 'exponential', delay: this.config.media.retryBaseMs },
          removeOnComplete: { age: DAY_SECONDS },
          removeOnFail: { age: 30 * DAY_SECONDS },
        },
      ),
      this.config.redis.commandTimeoutMs,
    );
  }
}
