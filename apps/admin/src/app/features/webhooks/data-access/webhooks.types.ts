import type {
  CreateWebhookEndpointMutation,
  WebhookDeliveriesFilter,
  WebhookDeliveriesQuery,
  WebhookDeliveryFieldsFragment,
  WebhookDeliveryQuery,
  WebhookDeliveryStatus,
  WebhookEndpointFieldsFragment,
  WebhookEventTypesQuery,
} from '../../../core/graphql/operations.generated';

/** The webhooks page's names for the generated operation types (webhooks.graphql). */
export type {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryStatus,
} from '../../../core/graphql/operations.generated';

export type WebhookEndpoint = WebhookEndpointFieldsFragment;
/** An endpoint with its secret, as creation and rotation answer it: the only time the secret is seen. */
export type WebhookEndpointWithSecret = CreateWebhookEndpointMutation['createWebhookEndpoint'];
export type WebhookEventType = WebhookEventTypesQuery['webhookEventTypes'][number];
export type WebhookDelivery = WebhookDeliveryFieldsFragment;
export type WebhookDeliveryPage = WebhookDeliveriesQuery['webhookDeliveries'];
export type WebhookDeliveryDetail = WebhookDeliveryQuery['webhookDelivery'];
export type WebhookAttempt = WebhookDeliveryDetail['attempts'][number];
export type DeliveriesFilter = WebhookDeliveriesFilter;

/** Every `WebhookDeliveryStatus`, in the order the filter offers them. */
export const WEBHOOK_DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['PENDING', 'DELIVERED', 'FAILED'];
