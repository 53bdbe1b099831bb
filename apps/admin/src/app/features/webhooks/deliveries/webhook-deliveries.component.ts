import { formatDate } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  LOCALE_ID,
  output,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute } from '@angular/router';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter } from '../../../shared/data/url-filter';
import { FilterBarComponent } from '../../../shared/ui/filter-bar/filter-bar.component';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TableCellDirective, type TableColumn } from '../../../shared/ui/table-panel/table-columns';
import { TablePanelComponent, type TableSpec } from '../../../shared/ui/table-panel/table-panel.component';
import { pollWhile } from '../data-access/poll';
import { WebhooksApi } from '../data-access/webhooks.api';
import type {
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEventType,
} from '../data-access/webhooks.types';
import {
  DEFAULT_DELIVERIES_PER_PAGE,
  DELIVERY_PAGE_SIZES,
  deliveryFilterFields,
  deliveryStatusLabel,
  toDeliveriesFilter,
} from './deliveries-filter';
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
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatSelectModule,
    FilterBarComponent,
    TablePanelComponent,
    TableCellDirective,
  ],
  templateUrl: './webhook-deliveries.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookDeliveriesComponent {
  private readonly api = inject(WebhooksApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly locale = inject(LOCALE_ID);
  protected readonly url = urlFilter(DEFAULT_DELIVERIES_PER_PAGE);

  readonly endpoints = input.required<readonly WebhookEndpoint[]>();
  readonly eventTypes = input.required<readonly WebhookEventType[]>();
  /** A delivery was looked at or replayed: endpoints' success rates may have moved. */
  readonly changed = output();

  private readonly params = toSignal(inject(ActivatedRoute).queryParamMap, { requireSync: true });
  protected readonly filter = computed(
    () => {
      const params = this.params();
      const known = this.eventTypes().map(({ type }) => type);
      return toDeliveriesFilter(
        {
          endpoint: params.get('endpoint') ?? undefined,
          event: params.get('event') ?? undefined,
          status: params.get('status') ?? undefined,
          from: params.get('from') ?? undefined,
          to: params.get('to') ?? undefined,
          page: params.get('page') ?? undefined,
          perPage: params.get('perPage') ?? undefined,
        },
        known,
      );
    },
    { equal: sameJson },
  );
  protected readonly hasFilters = computed(() => {
    const { endpointId, eventType, status, from } = this.filter();
    return Boolean(endpointId || eventType || status || from);
  });
  protected readonly list = pagedQuery(this.filter, (filter) =>
    pollWhile(() => this.api.deliveries(filter), settling, LOG_POLL_MS),
  );

  /** Built once the catalogue is in: the filter bar binds its fields once. */
  protected readonly filterFields = computed(() => deliveryFilterFields(this.eventTypes()));
  protected readonly pageSizes = DELIVERY_PAGE_SIZES;
  private readonly urls = computed(
    () => new Map(this.endpoints().map((endpoint) => [endpoint.id, endpoint.url])),
  );

  protected readonly isNarrow = narrowScreen(839);
  protected readonly columns: readonly TableColumn<WebhookDelivery>[] = [
    {
      key: 'createdAt',
      header: 'Created',
      cell: (delivery) => formatDate(delivery.createdAt, this.isNarrow() ? 'short' : 'medium', this.locale),
      class: 'table-panel__nowrap',
    },
    { key: 'eventType', header: 'Event' },
    {
      key: 'endpoint',
      header: 'Endpoint',
      cell: (delivery) => this.urls().get(delivery.endpointId) ?? delivery.endpointId,
      class: 'table-panel__wrap',
    },
    { key: 'status', header: 'Status' },
    {
      key: 'attempts',
      header: 'Attempts',
      cell: (delivery) => delivery.attemptCount,
      class: 'table-panel__number',
      testId: 'delivery-attempts',
    },
    { key: 'actions', header: 'Actions', hiddenHeader: true, class: 'table-panel__actions' },
  ];
  protected readonly shownColumns = computed(() =>
    this.isNarrow()
      ? ['createdAt', 'eventType', 'status', 'actions']
      : ['createdAt', 'eventType', 'endpoint', 'status', 'attempts', 'actions'],
  );
  protected readonly rowData = (delivery: WebhookDelivery) => ({
    'data-id': delivery.id,
    'data-event': delivery.eventType,
    'data-status': delivery.status,
    'data-endpoint': delivery.endpointId,
  });

  protected readonly table: TableSpec<WebhookDelivery> = {
    noun: 'deliveries',
    columns: this.columns,
    testIdPrefix: 'deliveries',
    rowTestId: 'delivery-row',
    rowAttributes: this.rowData,
    emptyText: 'Nothing has been sent yet: send a test event to an endpoint.',
    filteredEmptyText: 'No deliveries match these filters.',
  };
  protected readonly statusLabel = deliveryStatusLabel;

  /** The log again, at once (after a test was sent, say). */
  reload(): void {
    this.list.reload();
  }

  protected pickEndpoint(endpointId: string): void {
    this.url.apply({ endpoint: endpointId || null });
  }

  protected open(delivery: WebhookDelivery): void {
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

  protected replay(delivery: WebhookDelivery): void {
    this.api.replay(delivery.id).subscribe({
      next: () => {
        this.snackBar.open(`${delivery.eventType} is being sent again, with the same webhook-id.`, 'OK', {
          duration: 5000,
        });
        this.reload();
        this.changed.emit();
      },
      error: (error: unknown) => this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 }),
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
