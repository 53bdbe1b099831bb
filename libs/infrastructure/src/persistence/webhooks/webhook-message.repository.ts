import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { inTransaction, SqlTransaction } from '../billing/sql-transaction';

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
 * Fan-out: an event becomes one message and one delivery per subscribed endpoint, in one
 * transaction. Repeating it for the same event adds nothing (and no sequence number).
 */
export class WebhookMessageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Endpoints that want this event: enabled, subscribed to its type, and the user's own or
   * platform-wide. Returns the deliveries still pending (new or left by an earlier run), to enqueue.
   */
  fanOut(message: NewWebhookMessage, endpointFilter: { endpointId?: string } = {}): Promise<PendingDelivery[]> {
    return inTransaction(this.dataSource, async (tx) => {
      const endpoints = await tx.rows<{ id: string }>(
        `SELECT id FROM webhook_endpoint
          WHERE enabled AND (cardinality(event_types) = 0 OR $1 = ANY (event_types))
            AND ($3::uuid IS NOT NULL AND id = $3 OR $3::uuid IS NULL AND (platform_wide OR owner_id = $2::uuid))`,
        [message.eventType, message.userId, endpointFilter.endpointId ?? null],
      );
      if (endpoints.length === 0) return [];
      const messageId = await this.storeMessage(tx, message);
      await tx.rows(
        `INSERT INTO webhook_delivery (message_id, endpoint_id, event_type, next_attempt_at)
         SELECT $1, unnest($2::uuid[]), $3, now() ON CONFLICT (message_id, endpoint_id) DO NOTHING`,
        [messageId, endpoints.map((e) => e.id), message.eventType],
      );
      const pending = await tx.rows<{ id: string; round: number }>(
        `SELECT id, round FROM webhook_delivery WHERE message_id = $1 AND status = 'pending'`,
        [messageId],
      );
      return pending.map((row) => ({ deliveryId: row.id, round: row.round }));
    });
  }

  private async storeMessage(tx: SqlTransaction, message: NewWebhookMessage): Promise<string> {
    if (message.sourceEventId !== null) {
      const existing = await tx.one<{ id: string }>(`SELECT id FROM webhook_message WHERE source_event_id = $1`, [message.sourceEventId]);
      if (existing) return existing.id;
    }
    // The counter row is locked until commit, so one key's sequence numbers follow commit order.
    const { last_value: sequence } = await tx.only<{ last_value: string }>(
      `INSERT INTO webhook_sequence (ordering_key, last_value) VALUES ($1, 1)
       ON CONFLICT (ordering_key) DO UPDATE SET last_value = webhook_sequence.last_value + 1 RETURNING last_value`,
      [message.orderingKey],
    );
    const id = newMessageId();
    await tx.rows(
      `INSERT INTO webhook_message (id, event_type, source_event_id, user_id, ordering_key, sequence, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, message.eventType, message.sourceEventId, message.userId, message.orderingKey, sequence, message.body(Number(sequence))],
    );
    return id;
  }
}
