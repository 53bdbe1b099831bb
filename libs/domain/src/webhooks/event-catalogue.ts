/**
 * The events partners may subscribe to, each with the JSON schema of its `data`. Payloads carry ids
 * and figures, never secrets or tokens.
 */
export const WEBHOOK_EVENT_TYPES = [
  'user.created',
  'user.email_verified',
  'credit.low',
  'credit.depleted',
  'credit.granted',
  'payment.succeeded',
  'payment.refunded',
  'media.job.succeeded',
  'media.job.failed',
  'service.completed',
  'budget.threshold_reached',
  'team.budget.threshold_reached',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface WebhookEventDescription {
  type: WebhookEventType;
  description: string;
  /** JSON Schema (draft 2020-12) of the whole payload `{type, timestamp, data, …}`. */
  schema: JsonSchema;
}

const id = { type: 'string', minLength: 1 } as const;
const credits = { type: 'number', description: 'Credits, up to 3 decimals' } as const;
const mediaKind = { type: 'string', description: 'image or video' } as const;

function dataSchema(properties: Record<string, unknown>, required = Object.keys(properties)): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: true };
}

const DATA: Record<WebhookEventType, { description: string; data: JsonSchema }> = {
  'user.created': { description: 'A user registered', data: dataSchema({ userId: id }) },
  'user.email_verified': {
    description: 'A user verified their e-mail address',
    data: dataSchema({ userId: id }),
  },
  'credit.low': {
    description: 'A user’s available balance fell below the low-balance threshold',
    data: dataSchema({ userId: id, available: credits, threshold: credits }),
  },
  'credit.depleted': {
    description: 'A user’s available balance reached zero',
    data: dataSchema({ userId: id, available: credits, threshold: credits }),
  },
  'credit.granted': {
    description: 'Credits were granted to a user (welcome, promo code, purchase, adjustment)',
    data: dataSchema({ userId: id, transactionId: id, amount: credits, kind: { type: 'string' } }),
  },
  'payment.succeeded': {
    description: 'A credit purchase was paid',
    data: dataSchema({ userId: id, paymentId: id }),
  },
  'payment.refunded': {
    description: 'A credit purchase was refunded',
    data: dataSchema({ userId: id, paymentId: id, refundId: id, credits }, ['userId', 'paymentId']),
  },
  'media.job.succeeded': {
    description: 'An image or video job finished',
    data: dataSchema({ userId: id, jobId: id, kind: mediaKind, model: { type: 'string' }, credits }, ['userId', 'jobId']),
  },
  'media.job.failed': {
    description: 'An image or video job failed',
    data: dataSchema(
      { userId: id, jobId: id, kind: mediaKind, model: { type: 'string' }, errorCode: { type: 'string' } },
      ['userId', 'jobId'],
    ),
  },
  'service.completed': {
    description: 'A partner’s deduct or an AI call finished and was charged',
    data: dataSchema({ userId: id, service: { type: 'string' }, credits }, ['userId', 'service']),
  },
  'budget.threshold_reached': {
    description:
      'A spending budget reached one of its alert thresholds (50, 80, 100 % by default), once per threshold and period',
    data: dataSchema({
      userId: id,
      budgetKind: { type: 'string', description: 'api_key_month: an API key’s monthly credit budget' },
      subjectId: { ...id, description: 'The budget’s holder: the API key’s id' },
      period: { type: 'string', description: 'The period the spend counts in, e.g. 2026-12 (UTC)' },
      thresholdPercent: { type: 'integer', minimum: 1, maximum: 100 },
      budget: credits,
      spent: credits,
    }),
  },
  'team.budget.threshold_reached': {
    description:
      'A team wallet’s spending this month reached one of the team’s alert thresholds of its monthly cap (50, 80, 100 % by default), once per threshold and month; sent to the endpoints of the team’s managers',
    data: dataSchema({
      teamId: id,
      period: { type: 'string', pattern: '^\\d{4}-\\d{2}$', description: 'The calendar month (UTC), e.g. 2026-12' },
      threshold: { type: 'integer', minimum: 1, maximum: 100, description: 'The percentage of the cap reached' },
      spent: { ...credits, description: 'Captured this month, credits up to 3 decimals' },
      cap: { ...credits, description: 'The team’s monthly cap when the spend was captured' },
    }),
  },
  'webhook.test': {
    description: 'Sent on request, to test an endpoint',
    data: dataSchema({ endpointId: id }),
  },
};

export const WEBHOOK_EVENT_CATALOGUE: readonly WebhookEventDescription[] = WEBHOOK_EVENT_TYPES.map(
  (type) => ({
    type,
    description: DATA[type].description,
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: type,
      type: 'object',
      properties: {
        type: { const: type },
        timestamp: { type: 'string', format: 'date-time' },
        data: DATA[type].data,
        orderingKey: {
          type: 'string',
          description: 'Events with the same key (the user, or the team for a team’s events) are numbered in order',
        },
        sequence: {
          type: 'integer',
          minimum: 1,
          description: 'Position of this event among its ordering key’s events',
        },
      },
      required: ['type', 'timestamp', 'data', 'orderingKey', 'sequence'],
    },
  }),
);
