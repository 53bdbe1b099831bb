import { DomainError } from '../shared/domain-error';
import { WebhookEventType } from './event-catalogue';

/** Standard Webhooks asks senders to keep payloads small; ours carry ids, so 20 kB is plenty. */
export const MAX_WEBHOOK_PAYLOAD_BYTES = 20 * 1024;

export interface WebhookPayloadInput {
  type: WebhookEventType;
  occurredAt: Date;
  data: Record<string, unknown>;
  /** Whose events these are (a user id, or `platform`); receivers reorder by key and sequence. */
  orderingKey: string;
  sequence: number;
}

/**
 * The body sent, serialised once and stored: retries and replays send (and sign) the same bytes.
 * `{type, timestamp, data}` as Standard Webhooks describes it, plus the ordering key and sequence.
 */
export function webhookBody(input: WebhookPayloadInput): string {
  const body = JSON.stringify({
    type: input.type,
    timestamp: input.occurredAt.toISOString(),
    data: input.data,
    orderingKey: input.orderingKey,
    sequence: input.sequence,
  });
  if (new TextEncoder().encode(body).length >= MAX_WEBHOOK_PAYLOAD_BYTES) {
    throw DomainError.badInput(`webhook payload of ${input.type} exceeds ${MAX_WEBHOOK_PAYLOAD_BYTES} bytes`);
  }
  return body;
}
