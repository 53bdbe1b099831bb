import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import {
  DeliverWebhookPayload,
  PendingDelivery,
  RecoverWebhooksPayload,
  WEBHOOK_JOBS,
  WEBHOOK_QUEUE,
} from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { AppConfig } from '../../../config/app-config';
import { withinRedisDeadline } from '../../../platform/mail/redis-deadline';

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Puts deliveries on the `webhooks` queue. Job ids come from the delivery and its round, so adding
 * the same one twice (an event relayed again) is a no-op; a replay is a new round, hence a new job.
 */
@Injectable()
export class WebhookEnqueuer {
  constructor(
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue<DeliverWebhookPayload | RecoverWebhooksPayload>,
    private readonly config: AppConfig,
  ) {}

  async deliver(deliveries: readonly PendingDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await withinRedisDeadline(
      this.queue.addBulk(
        deliveries.map((delivery) => ({
          name: WEBHOOK_JOBS.deliver,
          data: { deliveryId: delivery.deliveryId, round: delivery.round },
          opts: {
            jobId: `delivery-${delivery.deliveryId}-${delivery.round}`,
            // Retries of the schedule are the job delayed again; these attempts only cover the
            // processor itself failing (database unreachable), with backoff.
            attempts: 8,
            backoff: { type: 'exponential', delay: 1_000 },
            removeOnComplete: { age: DAY_SECONDS },
            removeOnFail: { age: 30 * DAY_SECONDS },
          },
        })),
      ),
      this.config.redis.commandTimeoutMs,
    );
  }

  async recover(payload: RecoverWebhooksPayload): Promise<void> {
    await withinRedisDeadline(
      this.queue.add(WEBHOOK_JOBS.recover, payload, {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: { age: DAY_SECONDS },
        removeOnFail: { age: 30 * DAY_SECONDS },
      }),
      this.config.redis.commandTimeoutMs,
    );
  }
}
