import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';

import { listPage } from '../../../shared/data/list-page';
import { listActions } from '../../../shared/ui/list-actions';
import {
  actionsColumn,
  createdColumn,
  LIST_PAGE_IMPORTS,
  statusLook,
  type TableSpec,
} from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { pollWhile } from '../data-access/poll';
import { WebhooksApi } from '../data-access/webhooks.api';
import type {
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEventType,
} from '../data-access/webhooks.types';
import { deliveriesList, DELIVERY_STATUS_LABELS, DELIVERY_STATUS_TONES } from './deliveries-filter';
import { DeliveryDetailDialogComponent, type DeliveryDetailData } from './delivery-detail-dialog.component';

/** The log follows deliveries that are due within this long; later retries wait for a reload. */
const FOLLOW_WITHIN_MS = 60_000;
const LOG_POLL_MS = 2000;

/**
 * The delivery log, newest first, with its filters (endpoint, event type, status, days) and paging
 * in the query string. While a delivery is on its way the log reads itself again until it settles.
 */
@Component({
  selector: 'sah-webhook-deliveries',
  imports: [MatFormFieldModule, MatSelectModule, LIST_PAGE_IMPORTS],
  templateUrl: './webhook-deliveries.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookDeliveriesComponent {
  private readonly api = inject(WebhooksApi);
  private readonly dialog = inject(MatDialog);
  private readonly actions = listActions();

  readonly endpoints = input.required<readonly WebhookEndpoint[]>();
  readonly eventTypes = input.required<readonly WebhookEventType[]>();
  /** A delivery was looked at or replayed: endpoints' success rates may have moved. */
  readonly changed = output();

  protected readonly list = listPage(deliveriesList(this.eventTypes), (filter) =>
    pollWhile(() => this.api.deliveries(filter), settling, LOG_POLL_MS),
  );
  private readonly urls = computed(
    () => new Map(this.endpoints().map((endpoint) => [endpoint.id, endpoint.url])),
  );

  protected readonly isNarrow = narrowScreen(839);

  protected readonly table: TableSpec<WebhookDelivery> = {
    noun: 'deliveries',
    columns: [
      createdColumn(this.isNarrow),
      { key: 'eventType', header: 'Event' },
      {
        key: 'endpoint',
        header: 'Endpoint',
        cell: (delivery) => this.urls().get(delivery.endpointId) ?? delivery.endpointId,
        class: 'table-panel__wrap',
      },
      {
        key: 'status',
        header: 'Status',
        chip: (delivery) => statusLook(delivery.status, DELIVERY_STATUS_TONES, DELIVERY_STATUS_LABELS),
        chipTestId: 'delivery-status',
        // Why one that is not delivered yet failed last: the receiver's status, or the network error.
        chipNote: (delivery) =>
          delivery.status === 'DELIVERED' ? null : (delivery.lastResponseStatus ?? delivery.lastError),
      },
      {
        key: 'attempts',
        header: 'Attempts',
        cell: (delivery) => delivery.attemptCount,
        class: 'table-panel__number',
        testId: 'delivery-attempts',
      },
      actionsColumn(
        {
          label: 'Attempts',
          ariaLabel: (delivery) => `Attempts of ${delivery.eventType} delivery ${delivery.id}`,
          testId: 'delivery-open',
          run: (delivery) => this.open(delivery),
        },
        this.actions.button(
          {
            label: 'Replay',
            icon: 'replay',
            ariaLabel: (delivery) => `Replay ${delivery.eventType} delivery ${delivery.id}`,
            testId: 'delivery-replay',
          },
          (delivery: WebhookDelivery) => ({
            call: () => this.api.replay(delivery.id),
            done: () => `${delivery.eventType} is being sent again, with the same webhook-id.`,
            then: () => {
              this.reload();
              this.changed.emit();
            },
          }),
        ),
      ),
    ],
    narrowColumns: ['createdAt', 'eventType', 'status', 'actions'],
    testIdPrefix: 'deliveries',
    rowTestId: 'delivery-row',
    rowAttributes: (delivery) => ({
      'data-id': delivery.id,
      'data-event': delivery.eventType,
      'data-status': delivery.status,
      'data-endpoint': delivery.endpointId,
    }),
    emptyText: 'Nothing has been sent yet: send a test event to an endpoint.',
  };

  /** The log again, at once (after a test was sent, say). */
  reload(): void {
    this.list.reload();
  }

  protected pickEndpoint(endpointId: string): void {
    this.list.apply({ endpoint: endpointId || null });
  }

  private open(delivery: WebhookDelivery): void {
    const data: DeliveryDetailData = {
      deliveryId: delivery.id,
      endpointUrl: this.urls().get(delivery.endpointId),
    };
    this.dialog
      .open(DeliveryDetailDialogComponent, { data, width: '48rem', maxWidth: 'calc(100vw - 32px)' })
      .afterClosed()
      .subscribe(() => {
        this.reload();
        this.changed.emit();
      });
  }
}

/** A page with a delivery due soon: read again until it has settled. */
function settling(page: WebhookDeliveryPage): boolean {
  const soon = Date.now() + FOLLOW_WITHIN_MS;
  return page.items.some(
    (delivery) =>
      delivery.status === 'PENDING' &&
      (!delivery.nextAttemptAt || Date.parse(delivery.nextAttemptAt) <= soon),
  );
}
