import { DataSource } from 'typeorm';
import { EndpointRow, EndpointScope, isUuid } from './webhook-endpoint.repository';
import { PendingDelivery } from './webhook-message.repository';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** What the sender needs for one attempt: the delivery, its body, and its endpoint (secrets sealed). */
export interface DeliveryToSend {
  deliveryId: string;
  round: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  endpointId: string;
  messageId: string;
  eventType: string;
  body: string;
  createdAt: Date;
  endpoint: EndpointRow;
}

export interface AttemptLog {
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
}

export interface WebhookAttemptInfo extends AttemptLog {
  round: number;
  attempt: number;
  createdAt: Date;
}

export interface WebhookDeliveryInfo {
  id: string;
  endpointId: string;
  messageId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  round: number;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  body: string;
}

export interface DeliveryFilter {
  endpointId?: string;
  eventType?: string;
  status?: WebhookDeliveryStatus;
  from?: Date;
  to?: Date;
}

/** After an attempt: delivered, failed for good, or pending again until `nextAttemptAt`. */
export type AttemptOutcome =
  { status: 'delivered' } | { status: 'failed' } | { status: 'pending'; nextAttemptAt: Date };

export interface RecordedAttempt {
  delivery: { deliveryId: string; round: number };
  log: AttemptLog;
  outcome: AttemptOutcome;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  round: number;
  attempts: number;
  next_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
  body: string;
}

const deliveryInfo = (row: DeliveryRow): WebhookDeliveryInfo => ({
  id: row.id,
  endpointId: row.endpoint_id,
  messageId: row.message_id,
  eventType: row.event_type,
  status: row.status,
  round: row.round,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastStatus: row.last_status,
  lastError: row.last_error,
  deliveredAt: row.delivered_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  body: row.body,
});

const SELECT_DELIVERY = `SELECT d.*, m.body FROM webhook_delivery d
  JOIN webhook_message m ON m.id = d.message_id JOIN webhook_endpoint e ON e.id = d.endpoint_id`;

/** Deliveries and their attempt log; reads are scoped through the endpoint's owner. */
export class WebhookDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * As attempts start: each delivery with its message's body and its endpoint, for many deliveries in
   * one round trip (the sender gathers the attempts starting together). Unknown ids are left out.
   */
  async toSendAll(deliveryIds: readonly string[]): Promise<Map<string, DeliveryToSend>> {
    const rows = (await this.dataSource.query(
      `SELECT d.id AS delivery_id, d.round AS delivery_round, d.status AS delivery_status, d.attempts AS delivery_attempts,
              d.message_id AS delivery_message_id, d.event_type AS delivery_event_type,
              d.created_at AS delivery_created_at, m.body AS delivery_body, e.*
         FROM webhook_delivery d JOIN webhook_message m ON m.id = d.message_id
         JOIN webhook_endpoint e ON e.id = d.endpoint_id WHERE d.id = ANY ($1::uuid[])`,
      [deliveryIds.filter(isUuid)],
    )) as Array<
      EndpointRow & {
        delivery_id: string;
        delivery_round: number;
        delivery_status: WebhookDeliveryStatus;
        delivery_attempts: number;
        delivery_message_id: string;
        delivery_event_type: string;
        delivery_created_at: Date;
        delivery_body: string;
      }
    >;
    return new Map(
      rows.map((row) => [
        row.delivery_id,
        {
          deliveryId: row.delivery_id,
          round: row.delivery_round,
          status: row.delivery_status,
          attempts: row.delivery_attempts,
          endpointId: row.id,
          messageId: row.delivery_message_id,
          eventType: row.delivery_event_type,
          body: row.delivery_body,
          createdAt: row.delivery_created_at,
          endpoint: row,
        },
      ]),
    );
  }

  /**
   * Logs each attempt and moves its delivery on, only if it is still pending in that round: a
   * duplicate job (a worker restarted mid-attempt) cannot overwrite a newer outcome. A delivered
   * attempt also stops its endpoint's failure clock. One statement for many attempts (the sender
   * gathers those finishing together); returns, in order, whether each was recorded.
   */
  async recordAttempts(attempts: readonly RecordedAttempt[]): Promise<boolean[]> {
    const input = attempts.map(({ delivery, log, outcome }, n) => ({
      n,
      delivery_id: delivery.deliveryId,
      round: delivery.round,
      status: outcome.status,
      next_attempt_at: outcome.status === 'pending' ? outcome.nextAttemptAt.toISOString() : null,
      response_status: log.responseStatus,
      error: log.error,
      request_headers: log.requestHeaders,
      request_body: log.requestBody,
      response_headers: log.responseHeaders,
      response_body: log.responseBody,
      duration_ms: log.durationMs,
    }));
    const moved = (await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS i (n int, delivery_id uuid, round int, status text,
           next_attempt_at timestamptz, response_status int, error text, request_headers jsonb, request_body text,
           response_headers jsonb, response_body text, duration_ms int)
       ), moved AS (
         UPDATE webhook_delivery d
            SET attempts = d.attempts + 1, status = i.status, next_attempt_at = i.next_attempt_at,
                last_status = i.response_status, last_error = i.error, updated_at = now(),
                delivered_at = CASE WHEN i.status = 'delivered' THEN now() ELSE d.delivered_at END
           FROM input i
          WHERE d.id = i.delivery_id AND d.round = i.round AND d.status = 'pending'
          RETURNING d.id, d.round, d.attempts, d.endpoint_id, i.n, i.status
       ), recovered AS (
         UPDATE webhook_endpoint SET failing_since = NULL
          WHERE failing_since IS NOT NULL AND id IN (SELECT endpoint_id FROM moved WHERE status = 'delivered')
       ), logged AS (
         INSERT INTO webhook_attempt (delivery_id, round, attempt, request_headers, request_body, response_status,
                                      response_headers, response_body, duration_ms, error)
         SELECT m.id, m.round, m.attempts, i.request_headers, i.request_body, i.response_status,
                i.response_headers, i.response_body, i.duration_ms, i.error
           FROM moved m JOIN input i ON i.n = m.n
       )
       SELECT n FROM moved`,
      [JSON.stringify(input)],
    )) as Array<{ n: number }>;
    const recorded = new Set(moved.map((row) => row.n));
    return attempts.map((_, n) => recorded.has(n));
  }

  /** Starts a new round for one delivery (replay): same message, same `webhook-id`, attempts from zero. */
  async replay(deliveryId: string, scope: EndpointScope): Promise<PendingDelivery | null> {
    if (!isUuid(deliveryId)) return null;
    const [rows] = (await this.dataSource.query(
      `UPDATE webhook_delivery d SET status = 'pending', round = round + 1, attempts = 0, next_attempt_at = now(), updated_at = now()
         FROM webhook_endpoint e
        WHERE d.id = $1 AND e.id = d.endpoint_id AND ($2::uuid IS NULL OR e.owner_id = $2)
        RETURNING d.id, d.round`,
      [deliveryId, scope.ownerId],
    )) as [Array<{ id: string; round: number }>, number];
    return rows[0] ? { deliveryId: rows[0].id, round: rows[0].round } : null;
  }

  /** Starts a new round for every failed delivery of the endpoint created since `since` (recovery). */
  async recoverFailed(endpointId: string, since: Date): Promise<PendingDelivery[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE webhook_delivery SET status = 'pending', round = round + 1, attempts = 0, next_attempt_at = now(), updated_at = now()
        WHERE endpoint_id = $1 AND status = 'failed' AND created_at >= $2 RETURNING id, round`,
      [endpointId, since],
    )) as [Array<{ id: string; round: number }>, number];
    return rows.map((row) => ({ deliveryId: row.id, round: row.round }));
  }

  /** Pending deliveries of the endpoint created since `since`: a recovery's, to enqueue (those with a job keep it). */
  async pendingSince(endpointId: string, since: Date): Promise<PendingDelivery[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, round FROM webhook_delivery WHERE endpoint_id = $1 AND status = 'pending' AND created_at >= $2`,
      [endpointId, since],
    )) as Array<{ id: string; round: number }>;
    return rows.map((row) => ({ deliveryId: row.id, round: row.round }));
  }

  /** Pending deliveries due since before `dueBefore`: their job should have run by now (lost with Redis data?). */
  async overdue(dueBefore: Date, limit: number): Promise<PendingDelivery[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, round FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at < $1 ORDER BY next_attempt_at LIMIT $2`,
      [dueBefore, limit],
    )) as Array<{ id: string; round: number }>;
    return rows.map((row) => ({ deliveryId: row.id, round: row.round }));
  }

  async find(deliveryId: string, scope: EndpointScope): Promise<WebhookDeliveryInfo | null> {
    if (!isUuid(deliveryId)) return null;
    const rows = (await this.dataSource.query(
      `${SELECT_DELIVERY} WHERE d.id = $1 AND ($2::uuid IS NULL OR e.owner_id = $2)`,
      [deliveryId, scope.ownerId],
    )) as DeliveryRow[];
    return rows[0] ? deliveryInfo(rows[0]) : null;
  }

  async list(
    scope: EndpointScope,
    filter: DeliveryFilter,
    page: { offset: number; limit: number },
  ): Promise<{ items: WebhookDeliveryInfo[]; total: number }> {
    const where = `($1::uuid IS NULL OR e.owner_id = $1) AND ($2::uuid IS NULL OR d.endpoint_id = $2) AND ($3::text IS NULL OR d.event_type = $3)
      AND ($4::text IS NULL OR d.status = $4) AND ($5::timestamptz IS NULL OR d.created_at >= $5) AND ($6::timestamptz IS NULL OR d.created_at < $6)`;
    const params = [
      scope.ownerId,
      filter.endpointId ?? null,
      filter.eventType ?? null,
      filter.status ?? null,
      filter.from ?? null,
      filter.to ?? null,
    ];
    const [rows, counted] = await Promise.all([
      this.dataSource.query(
        `${SELECT_DELIVERY} WHERE ${where} ORDER BY d.created_at DESC, d.id LIMIT $7 OFFSET $8`,
        [...params, page.limit, page.offset],
      ) as Promise<DeliveryRow[]>,
      this.dataSource.query(
        `SELECT count(*)::int AS total FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id WHERE ${where}`,
        params,
      ) as Promise<Array<{ total: number }>>,
    ]);
    return { items: rows.map(deliveryInfo), total: counted[0]?.total ?? 0 };
  }

  async attempts(deliveryId: string): Promise<WebhookAttemptInfo[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM webhook_attempt WHERE delivery_id = $1 ORDER BY id`,
      [deliveryId],
    )) as Array<{
      round: number;
      attempt: number;
      request_headers: Record<string, string>;
      request_body: string;
      response_status: number | null;
      response_headers: Record<string, string> | null;
      response_body: string | null;
      duration_ms: number;
      error: string | null;
      created_at: Date;
    }>;
    return rows.map((row) => ({
      round: row.round,
      attempt: row.attempt,
      requestHeaders: row.request_headers,
      requestBody: row.request_body,
      responseStatus: row.response_status,
      responseHeaders: row.response_headers,
      responseBody: row.response_body,
      durationMs: row.duration_ms,
      error: row.error,
      createdAt: row.created_at,
    }));
  }

  /** Share of finished deliveries that were delivered, per endpoint (`null` while none finished). */
  async successRates(endpointIds: string[]): Promise<Map<string, number | null>> {
    const rows = (await this.dataSource.query(
      `SELECT endpoint_id, count(*) FILTER (WHERE status = 'delivered')::int AS delivered, count(*) FILTER (WHERE status <> 'pending')::int AS finished
         FROM webhook_delivery WHERE endpoint_id = ANY ($1::uuid[]) GROUP BY endpoint_id`,
      [endpointIds],
    )) as Array<{ endpoint_id: string; delivered: number; finished: number }>;
    const rates = new Map<string, number | null>(endpointIds.map((id) => [id, null]));
    for (const row of rows)
      rates.set(row.endpoint_id, row.finished > 0 ? row.delivered / row.finished : null);
    return rates;
  }
}
