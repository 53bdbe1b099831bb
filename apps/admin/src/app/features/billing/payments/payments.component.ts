import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, LOCALE_ID } from '@angular/core';
import type { PageEvent } from '@angular/material/paginator';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter } from '../../../shared/data/url-filter';
import { FilterBarComponent } from '../../../shared/ui/filter-bar/filter-bar.component';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TableCellDirective, type TableColumn } from '../../../shared/ui/table-panel/table-columns';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { BillingApi } from '../data-access/billing.api';
import type { Payment, PaymentStatus } from '../data-access/billing.types';
import { CreditsPipe, formatCredits } from '../ui/credits.pipe';
import { PricePipe } from '../ui/price.pipe';
import { UserPickerComponent, type PickedUser } from '../ui/user-picker.component';
import {
  DEFAULT_PAYMENTS_PER_PAGE,
  PAYMENT_FILTER_FIELDS,
  PAYMENT_PAGE_SIZES,
  PAYMENT_STATUS_LABELS,
  toPaymentsFilter,
} from './payments-filter';

/** Stripe top-ups, newest first, with their state (admins). */
@Component({
  selector: 'sah-payments',
  imports: [
    RouterLink,
    MatTooltipModule,
    CreditsPipe,
    PricePipe,
    UserPickerComponent,
    FilterBarComponent,
    TablePanelComponent,
    TableCellDirective,
  ],
  templateUrl: './payments.component.html',
  styleUrl: './payments.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PaymentsComponent {
  private readonly api = inject(BillingApi);
  private readonly url = urlFilter(DEFAULT_PAYMENTS_PER_PAGE);

  // Bound from the query string: the URL is the one source of truth for the filter.
  readonly status = input<string>();
  readonly userId = input<string>();
  readonly flagged = input<string>();
  readonly page = input<string>();
  readonly perPage = input<string>();

  protected readonly filterFields = PAYMENT_FILTER_FIELDS;
  protected readonly pageSizes = PAYMENT_PAGE_SIZES;

  protected readonly filter = computed(
    () =>
      toPaymentsFilter({
        status: this.status(),
        userId: this.userId(),
        flagged: this.flagged(),
        page: this.page(),
        perPage: this.perPage(),
      }),
    { equal: sameJson },
  );
  protected readonly hasFilters = computed(() => {
    const { status, userId, flagged } = this.filter();
    return Boolean(status || userId || flagged);
  });
  protected readonly selectedUser = computed<PickedUser | null>(() => {
    const id = this.filter().userId;
    return id ? { id, email: null, name: null } : null;
  });

  protected readonly list = pagedQuery(this.filter, (current) => this.api.payments(current));
  protected readonly rows = this.list.rows;

  protected readonly isNarrow = narrowScreen(839);
  private readonly locale = inject(LOCALE_ID);

  protected readonly columns: readonly TableColumn<Payment>[] = [
    {
      key: 'createdAt',
      header: 'Created',
      cell: (payment) => formatDate(payment.createdAt, this.isNarrow() ? 'short' : 'medium', this.locale),
      class: 'table-panel__nowrap',
    },
    { key: 'user', header: 'User' },
    { key: 'package', header: 'Package' },
    {
      key: 'credits',
      header: 'Credits',
      cell: (payment) => formatCredits(payment.credits, this.locale),
      class: 'table-panel__number',
    },
    { key: 'amount', header: 'Amount', class: 'table-panel__number', testId: 'payment-amount' },
    { key: 'status', header: 'Status' },
  ];
  protected readonly shownColumns = computed(() =>
    this.isNarrow()
      ? ['createdAt', 'package', 'amount', 'status']
      : ['createdAt', 'user', 'package', 'credits', 'amount', 'status'],
  );
  protected readonly rowData = (payment: Payment) => ({
    'data-status': payment.status,
    'data-flagged': payment.flagged ? 'true' : null,
  });

  /** A status this console does not know yet is shown as sent. */
  protected statusLabel(status: PaymentStatus | string): string {
    return (PAYMENT_STATUS_LABELS as Readonly<Record<string, string>>)[status] ?? status;
  }

  protected isBad(status: PaymentStatus): boolean {
    return status === 'FAILED' || status === 'EXPIRED';
  }

  protected pickUser(user: PickedUser | null): void {
    this.url.apply({ userId: user?.id ?? null });
  }

  protected changePage(event: PageEvent): void {
    this.url.changePage(event);
  }
}
