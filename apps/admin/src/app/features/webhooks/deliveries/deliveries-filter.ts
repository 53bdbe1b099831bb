import { dayRange } from '../../../shared/data/local-day';
import type { ListPageSpec, Unpaged } from '../../../shared/data/list-page';
import { optionalText } from '../../../shared/data/query-params';
import { isUuid } from '../../../shared/data/uuid';
import type { FilterField } from '../../../shared/ui/filter-bar/filter-fields';
import type { StatusTone } from '../../../shared/ui/status-chip/status-chip.component';
import {
  WEBHOOK_DELIVERY_STATUSES,
  type DeliveriesFilter,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '../data-access/webhooks.types';

export const DELIVERY_STATUS_LABELS: Readonly<Record<WebhookDeliveryStatus, string>> = {
  PENDING: 'Pending',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
};

/** Delivered plain, failed as an error, one still being tried muted. */
export const DELIVERY_STATUS_TONES: Readonly<Record<WebhookDeliveryStatus, StatusTone>> = {
  PENDING: 'muted',
  DELIVERED: 'good',
  FAILED: 'bad',
};

/** The delivery log's query string; the endpoint is a projected select (`endpoint`). */
export interface DeliveriesQueryParams {
  readonly endpoint?: string;
  readonly event?: string;
  readonly status?: string;
  /** Local calendar days, "YYYY-MM-DD", both inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly page?: string;
  readonly perPage?: string;
}

/** The delivery log (`listPage`): its event types come from the catalogue, once that has loaded. */
export function deliveriesList(eventTypes: () => readonly WebhookEventType[]): ListPageSpec<DeliveriesFilter> {
  return {
    pageSizes: [20, 50, 100],
    defaultPerPage: 20,
    fields: () => deliveryFilterFields(eventTypes()),
    parse: (params) => toDeliveriesFilter(params, eventTypes().map(({ type }) => type)),
  };
}

/** The event type choice is offered from the catalogue, so it is built once that has loaded. */
export function deliveryFilterFields(eventTypes: readonly WebhookEventType[]): readonly FilterField[] {
  return [
    {
      kind: 'choice',
      param: 'event',
      label: 'Event type',
      anyLabel: 'Any event type',
      options: eventTypes.map(({ type }) => ({ value: type, label: type })),
      testId: 'deliveries-event-filter',
    },
    {
      kind: 'choice',
      param: 'status',
      label: 'Status',
      anyLabel: 'Any status',
      options: WEBHOOK_DELIVERY_STATUSES.map((status) => ({
        value: status,
        label: DELIVERY_STATUS_LABELS[status],
      })),
      testId: 'deliveries-status-filter',
    },
    {
      kind: 'dateRange',
      fromParam: 'from',
      toParam: 'to',
      label: 'Created between',
      testId: 'deliveries-range',
    },
  ];
}

/**
 * Query string → `WebhookDeliveriesFilter`: a partial endpoint id, an event type not in the catalogue,
 * an unknown status or an impossible day is dropped rather than sent. The days become instants: from
 * the first day's local midnight to the midnight after the last day.
 */
export function toDeliveriesFilter(
  params: DeliveriesQueryParams,
  eventTypes: readonly string[],
): Unpaged<DeliveriesFilter> {
  const endpointId = optionalText(params.endpoint);
  const eventType = eventTypes.find((type) => type === params.event);
  const status = WEBHOOK_DELIVERY_STATUSES.find((value) => value === params.status?.toUpperCase());
  const { start, end } = dayRange(params.from, params.to);
  const range = start && end && start < end ? { from: start.toISOString(), to: end.toISOString() } : {};
  return {
    ...(endpointId && isUuid(endpointId) ? { endpointId } : {}),
    ...(eventType ? { eventType } : {}),
    ...(status ? { status } : {}),
    ...range,
  };
}
