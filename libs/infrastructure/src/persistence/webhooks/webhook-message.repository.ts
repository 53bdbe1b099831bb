import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface NewWebhookMessage {
  eventType: string;
  /** The outbox event it comes from (one message per event, whatever the redelivery); none for tests. */
  sourceEventId: string | null;
  userId: string | null;
  orderingKey: string;
  /** The body, given its place in the ordering key's sequence. */
  body: (sequence: number) => string;
}

export interface PendingDelivery {
  deliveryId: string;
  round: number;
}

/** `msg_` + 128 random bits: the `webhook-id` receivers deduplicate on, the same on every retry and replay. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/**
 * Fan-out: an event becomes one message and one delivery per subscribed endpoint, in one statement
 * (one round trip: the relay carries every context's events, so this is on its hot path). Repeating
 * it for the same event adds no message and no sequence number.
 */
export class WebhookMessageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Endpoints that want this event: enabled, subscribed to its type, and the user's own or
   * platform-wide (or exactly `endpointId`). Returns the deliveries still pending (new or left by an
   * earlier run), to enqueue.
   */
  async fanOut(
    message: NewWebhookMessage,
    endpointFilter: { endpointId?: string } = {},
  ): Promise<PendingDelivery[]> {
    // The body ends with its sequence number, which the database assigns: it is sent as a prefix.
    const template = message.body(0);
    if (!template.endsWith('"sequence":0}'))
      throw new Error('a webhook body must end with its sequence number');
    const rows = (await this.dataSource.query(
      `WITH targets AS (
         SELECT id FROM webhook_endpoint
          WHERE enabled AND (cardinality(event_types) = 0 OR $1 = ANY (event_types))
            AND CASE WHEN $3::uuid IS NOT NULL THEN id = $3::uuid ELSE platform_wide OR owner_id = $2::uuid END
       ), existing AS (
         SELECT id FROM webhook_message WHERE source_event_id = $4::bigint
       ), seq AS (
         -- The counter row stays locked until commit, so one key's numbers follow commit order.
         INSERT INTO webhook_sequence (ordering_key, last_value)
         SELECT $5, 1 WHERE EXISTS (SELECT 1 FROM targets) AND NOT EXISTS (SELECT 1 FROM existing)
         ON CONFLICT (ordering_key) DO UPDATE SET last_value = webhook_sequence.last_value + 1
         RETURNING last_value
       ), created AS (
         INSERT INTO webhook_message (id, event_type, source_event_id, user_id, ordering_key, sequence, body)
         SELECT $6, $1, $4::bigint, $2::uuid, $5, last_value, $7 || last_value || '}' FROM seq
         RETURNING id
       ), message AS (
         SELECT id FROM created UNION ALL SELECT id FROM existing
       ), inserted AS (
         INSERT INTO webhook_delivery (message_id, endpoint_id, event_type, next_attempt_at)
         SELECT message.id, targets.id, $1, now() FROM message, targets
         ON CONFLICT (message_id, endpoint_id) DO NOTHING
         RETURNING id, round
       )
       SELECT id, round FROM inserted
       UNION
       SELECT d.id, d.round FROM webhook_delivery d JOIN existing e ON d.message_id = e.id WHERE d.status = 'pending'`,
      [
        message.eventType,
        message.userId,
        endpointFilter.endpointId ?? null,
        message.sourceEventId,
        message.orderingKey,
        newMessageId(),
        template.slice(0, -2),
      ],
    )) as Array<{ id: string; round: number }>;
    return rows.map((row) => ({ deliveryId: row.id, round: row.round }));
  }
}
