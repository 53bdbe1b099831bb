/**
 * The `webhooks` queue: one `deliver` job per message and endpoint (per round), `recover` jobs, and a
 * repeated `sweep` that re-enqueues deliveries whose job was lost.
 */
export const WEBHOOK_QUEUE = 'webhooks';

export const WEBHOOK_JOBS = {
  deliver: 'deliver',
  recover: 'recover',
  sweep: 'sweep',
} as const;

/** Ids only: the processor re-reads the delivery; a stale round (replayed since) is skipped. */
export interface DeliverWebhookPayload {
  deliveryId: string;
  round: number;
}

/** Re-send every failed delivery of the endpoint created since then. */
export interface RecoverWebhooksPayload {
  endpointId: string;
  since: string;
}
