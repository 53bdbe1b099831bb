import { Injectable, OnModuleInit } from '@nestjs/common';
import { WebhookEventType, webhookBody } from '@sah/domain';
import { WebhookMessageRepository } from '@sah/infrastructure';
import { OutboxEvent, OutboxHandlers } from '../../../platform/outbox/outbox-handlers';
import { WebhookEnqueuer } from '../application/webhook-enqueuer';

/**
 * Which stored domain events become which webhook events, and what of their payload leaves: ids and
 * figures only (never e-mail addresses, secrets or tokens). Other contexts only write to the outbox.
 */
interface Source {
  outboxType: string;
  type: WebhookEventType;
  fields: readonly string[];
  /** An event about a team rather than a user: its id orders the events, and these users' endpoints receive it. */
  team?: { idField: string; audienceField: string };
}

const SOURCES: readonly Source[] = [
  { outboxType: 'identity.user_registered', type: 'user.created', fields: ['userId'] },
  { outboxType: 'identity.email_verified', type: 'user.email_verified', fields: ['userId'] },
  { outboxType: 'credit.low', type: 'credit.low', fields: ['userId', 'available', 'threshold'] },
  { outboxType: 'credit.depleted', type: 'credit.depleted', fields: ['userId', 'available', 'threshold'] },
  {
    outboxType: 'credit.granted',
    type: 'credit.granted',
    fields: ['userId', 'transactionId', 'amount', 'kind'],
  },
  { outboxType: 'payment.succeeded', type: 'payment.succeeded', fields: ['userId', 'paymentId'] },
  {
    outboxType: 'payment.refunded',
    type: 'payment.refunded',
    fields: ['userId', 'paymentId', 'refundId', 'credits'],
  },
  {
    outboxType: 'media.job.succeeded',
    type: 'media.job.succeeded',
    fields: ['userId', 'jobId', 'kind', 'model', 'credits'],
  },
  {
    outboxType: 'media.job.failed',
    type: 'media.job.failed',
    fields: ['userId', 'jobId', 'kind', 'model', 'errorCode'],
  },
  {
    outboxType: 'service.completed',
    type: 'service.completed',
    fields: ['userId', 'partnerId', 'service', 'credits', 'transactionId'],
  },
  {
    outboxType: 'budget.threshold_reached',
    type: 'budget.threshold_reached',
    fields: ['userId', 'budgetKind', 'subjectId', 'period', 'thresholdPercent', 'budget', 'spent'],
  },
  {
    outboxType: 'team.budget.threshold_reached',
    type: 'team.budget.threshold_reached',
    fields: ['teamId', 'period', 'threshold', 'spent', 'cap'],
    team: { idField: 'teamId', audienceField: 'audienceUserIds' },
  },
];

/**
 * Fans the relevant outbox events out to the subscribed endpoints (at least once; repeats add
 * nothing): a relay batch of one type in one statement, its deliveries enqueued together.
 */
@Injectable()
export class WebhookEventSource implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxHandlers,
    private readonly messages: WebhookMessageRepository,
    private readonly enqueuer: WebhookEnqueuer,
  ) {}

  onModuleInit(): void {
    for (const source of SOURCES) this.outbox.onBatch(source.outboxType, (events) => this.fanOut(events, source));
  }

  private async fanOut(events: readonly OutboxEvent[], { type, fields, team }: Source): Promise<void> {
    const pending = await this.messages.fanOutAll(
      events.map((event) => {
        const data: Record<string, unknown> = {};
        for (const field of fields)
          if (event.payload[field] !== undefined) data[field] = event.payload[field];
        const userId = typeof event.payload['userId'] === 'string' ? event.payload['userId'] : null;
        const teamId = team && typeof event.payload[team.idField] === 'string' ? (event.payload[team.idField] as string) : null;
        const audience = team ? event.payload[team.audienceField] : undefined;
        const orderingKey = userId ?? teamId ?? 'platform';
        return {
          eventType: type,
          sourceEventId: event.id,
          userId,
          audienceUserIds: Array.isArray(audience) ? audience.filter((id): id is string => typeof id === 'string') : [],
          orderingKey,
          body: (sequence: number) =>
            webhookBody({ type, occurredAt: event.occurredAt, data, orderingKey, sequence }),
        };
      }),
    );
    await this.enqueuer.deliver(pending);
  }
}
