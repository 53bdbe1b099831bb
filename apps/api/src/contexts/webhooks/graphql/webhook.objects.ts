import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { WEBHOOK_EVENT_CATALOGUE } from '@sah/domain';
import type { WebhookAttemptInfo, WebhookDeliveryInfo, WebhookEndpointInfo } from '@sah/infrastructure';
import { PageInfoObject } from '../../identity/graphql/user.object';

export enum WebhookDeliveryStatus {
  PENDING = 'pending',
  DELIVERED = 'delivered',
  FAILED = 'failed',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

@ObjectType('WebhookEndpoint')
export class WebhookEndpointObject {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field() description!: string;
  @Field(() => [String], { description: 'Subscribed event types; empty means every type' })
  eventTypes!: string[];
  @Field() enabled!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Why it was disabled (410 Gone, 5 days failing), if it was',
  })
  disabledReason!: string | null;
  @Field({ description: 'Receives every user’s events (admins only)' }) platformWide!: boolean;
  @Field(() => ID, { nullable: true }) ownerId!: string | null;
  @Field(() => Date, {
    nullable: true,
    description: 'Until then the previous secret also signs (after a rotation)',
  })
  previousSecretExpiresAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Failing since then, with no success' })
  failingSince!: Date | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Share of finished deliveries that were delivered (0–1)',
  })
  successRate!: number | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;

  static from(endpoint: WebhookEndpointInfo, successRate: number | null = null): WebhookEndpointObject {
    const {
      ownerId,
      platformWide,
      url,
      description,
      eventTypes,
      enabled,
      disabledReason,
      previousSecretExpiresAt,
      failingSince,
    } = endpoint;
    return Object.assign(new WebhookEndpointObject(), {
      id: endpoint.id,
      ownerId,
      platformWide,
      url,
      description,
      eventTypes,
      enabled,
      disabledReason,
      previousSecretExpiresAt,
      failingSince,
      successRate,
      createdAt: endpoint.createdAt,
      updatedAt: endpoint.updatedAt,
    });
  }
}

@ObjectType('WebhookEndpointWithSecret', { description: 'The secret is shown this once' })
export class WebhookEndpointWithSecretObject {
  @Field(() => WebhookEndpointObject) endpoint!: WebhookEndpointObject;
  @Field({ description: '`whsec_…`: verify deliveries with it (Standard Webhooks)' }) secret!: string;
}

@ObjectType('WebhookAttempt')
export class WebhookAttemptObject {
  @Field(() => Int, { description: 'Replays and recoveries start a new round' }) round!: number;
  @Field(() => Int) attempt!: number;
  @Field() createdAt!: Date;
  @Field({ description: 'JSON object of the request headers' }) requestHeaders!: string;
  @Field() requestBody!: string;
  @Field(() => Int, { nullable: true }) responseStatus!: number | null;
  @Field(() => String, { nullable: true, description: 'JSON object of the response headers' })
  responseHeaders!: string | null;
  @Field(() => String, { nullable: true, description: 'The first 4 kB' }) responseBody!: string | null;
  @Field(() => Int) durationMs!: number;
  @Field(() => String, { nullable: true }) error!: string | null;

  static from(attempt: WebhookAttemptInfo): WebhookAttemptObject {
    return Object.assign(new WebhookAttemptObject(), {
      ...attempt,
      requestHeaders: JSON.stringify(attempt.requestHeaders),
      responseHeaders: attempt.responseHeaders === null ? null : JSON.stringify(attempt.responseHeaders),
    });
  }
}

@ObjectType('WebhookDelivery')
export class WebhookDeliveryObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) endpointId!: string;
  @Field(() => ID, { description: 'The `webhook-id` header: the same on every retry and replay' })
  messageId!: string;
  @Field() eventType!: string;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: 'Attempts in the current round' }) attemptCount!: number;
  @Field(() => Date, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true }) lastResponseStatus!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field({ description: 'The signed body' }) payload!: string;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;

  static from(delivery: WebhookDeliveryInfo): WebhookDeliveryObject {
    return Object.assign(new WebhookDeliveryObject(), {
      id: delivery.id,
      endpointId: delivery.endpointId,
      messageId: delivery.messageId,
      eventType: delivery.eventType,
      status: delivery.status as WebhookDeliveryStatus,
      attemptCount: delivery.attempts,
      nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt : null,
      lastResponseStatus: delivery.lastStatus,
      lastError: delivery.lastError,
      deliveredAt: delivery.deliveredAt,
      payload: delivery.body,
      createdAt: delivery.createdAt,
      updatedAt: delivery.updatedAt,
    });
  }
}

@ObjectType('WebhookDeliveryPage')
export class WebhookDeliveryPageObject {
  @Field(() => [WebhookDeliveryObject]) items!: WebhookDeliveryObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
}

@ObjectType('WebhookEventType')
export class WebhookEventTypeObject {
  @Field() type!: string;
  @Field() description!: string;
  @Field({ description: 'JSON Schema of the payload' }) schema!: string;

  static all(): WebhookEventTypeObject[] {
    return WEBHOOK_EVENT_CATALOGUE.map((entry) =>
      Object.assign(new WebhookEventTypeObject(), {
        type: entry.type,
        description: entry.description,
        schema: JSON.stringify(entry.schema),
      }),
    );
  }
}
