/** The `webhooks` queue: one `deliver` job per message and endpoint (per round), and `recover` jobs. */
export const WEBHOOK_QUEUE = 'webhooks';

export const WEBHOOK_JOBS = {
  deliver: 'deliver',
  recover: 'recover',
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
