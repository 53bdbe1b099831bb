import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface NewWebhookMessage {
  eventType: string;
  /** The outbox event it comes from (one message per event, whatever the redelivery); none for tests. */
  sourceEventId: string | null;
  userId: string | null;
  /** Users whose endpoints receive it besides `userId`'s (a team's managers for a team's event). */
  audienceUserIds?: readonly string[];
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
 * Fan-out: each event becomes one message and one delivery per subscribed endpoint; a relay batch of
 * events in one statement (one round trip: the relay carries every context's events, so this is on
 * its hot path). Repeating it for the same event adds no message and no sequence number.
 */
export class WebhookMessageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One message; see `fanOutAll`. */
  fanOut(
    message: NewWebhookMessage,
    endpointFilter: { endpointId?: string } = {},
  ): Promise<PendingDelivery[]> {
    return this.fanOutAll([message], endpointFilter);
  }

  /**
   * Endpoints that want each message: enabled, subscribed to its type, and the user's own or
   * platform-wide (or exactly `endpointId`). Within an ordering key, sequence numbers follow the
   * order of `messages`. Returns the deliveries still pending (new or left by an earlier run), to
   * enqueue.
   */
  async fanOutAll(
    messages: readonly NewWebhookMessage[],
    endpointFilter: { endpointId?: string } = {},
  ): Promise<PendingDelivery[]> {
    if (messages.length === 0) return [];
    // A body ends with its sequence number, which the database assigns: it is sent as a prefix.
    const prefixes = messages.map((message) => {
      const template = message.body(0);
      if (!template.endsWith('"sequence":0}'))
        throw new Error('a webhook body must end with its sequence number');
      return template.slice(0, -2);
    });
    const rows = (await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $8::jsonb[])
           WITH ORDINALITY AS i (event_type, source_event_id, user_id, ordering_key, message_id, body_prefix, audience, n)
       ), targets AS (
         SELECT i.n, e.id AS endpoint_id FROM input i JOIN webhook_endpoint e
             ON e.enabled AND (cardinality(e.event_types) = 0 OR i.event_type = ANY (e.event_types))
            AND CASE WHEN $7::uuid IS NOT NULL THEN e.id = $7::uuid ELSE e.platform_wide OR e.owner_id = i.user_id OR i.audience ? e.owner_id::text END
       ), existing AS (
         SELECT i.n, m.id FROM input i JOIN webhook_message m ON m.source_event_id = i.source_event_id
       ), fresh AS (
         -- Wanted by an endpoint and not made before: numbered within their key, in input order.
         SELECT i.*, row_number() OVER (PARTITION BY i.ordering_key ORDER BY i.n) AS place,
                count(*) OVER (PARTITION BY i.ordering_key) AS taken
           FROM input i
          WHERE EXISTS (SELECT 1 FROM targets t WHERE t.n = i.n) AND NOT EXISTS (SELECT 1 FROM existing x WHERE x.n = i.n)
       ), seq AS (
         -- The counter rows stay locked until commit, so one key's numbers follow commit order.
         INSERT INTO webhook_sequence AS s (ordering_key, last_value)
         SELECT ordering_key, count(*) FROM fresh GROUP BY ordering_key
         ON CONFLICT (ordering_key) DO UPDATE SET last_value = s.last_value + EXCLUDED.last_value
         RETURNING ordering_key, last_value
       ), created AS (
         INSERT INTO webhook_message (id, event_type, source_event_id, user_id, ordering_key, sequence, body)
         SELECT f.message_id, f.event_type, f.source_event_id, f.user_id, f.ordering_key, s.last_value - f.taken + f.place,
                f.body_prefix || (s.last_value - f.taken + f.place) || '}'
           FROM fresh f JOIN seq s ON s.ordering_key = f.ordering_key
         RETURNING id
       ), message AS (
         SELECT f.n, c.id FROM created c JOIN fresh f ON f.message_id = c.id UNION ALL SELECT n, id FROM existing
       ), inserted AS (
         INSERT INTO webhook_delivery (message_id, endpoint_id, event_type, next_attempt_at)
         SELECT m.id, t.endpoint_id, i.event_type, now()
           FROM message m JOIN targets t ON t.n = m.n JOIN input i ON i.n = m.n
         ON CONFLICT (message_id, endpoint_id) DO NOTHING
         RETURNING id, round, message_id
       )
       SELECT p.id, p.round FROM (
         SELECT id, round, message_id FROM inserted
         UNION
         SELECT d.id, d.round, d.message_id FROM webhook_delivery d JOIN existing e ON d.message_id = e.id WHERE d.status = 'pending'
       ) p JOIN message m ON m.id = p.message_id ORDER BY m.n`,
      [
        messages.map((message) => message.eventType),
        messages.map((message) => message.sourceEventId),
        messages.map((message) => message.userId),
        messages.map((message) => message.orderingKey),
        messages.map(() => newMessageId()),
        prefixes,
        endpointFilter.endpointId ?? null,
        messages.map((message) => JSON.stringify(message.audienceUserIds ?? [])),
      ],
    )) as Array<{ id: string; round: number }>;
    return rows.map((row) => ({ deliveryId: row.id, round: row.round }));
  }
}
