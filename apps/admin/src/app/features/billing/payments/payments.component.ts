import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, LOCALE_ID } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

import { listPage } from '../../../shared/data/list-page';
import { FilterBarComponent } from '../../../shared/ui/filter-bar/filter-bar.component';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TableCellDirective, type TableColumn } from '../../../shared/ui/table-panel/table-columns';
import { TablePanelComponent, type TableSpec } from '../../../shared/ui/table-panel/table-panel.component';
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

  protected readonly filterFields = PAYMENT_FILTER_FIELDS;
  /** The filter comes from the query string: the URL is the one source of truth. */
  protected readonly payments = listPage({
    parse: toPaymentsFilter,
    fetch: (current) => this.api.payments(current),
    pageSizes: PAYMENT_PAGE_SIZES,
    defaultPerPage: DEFAULT_PAYMENTS_PER_PAGE,
  });
  protected readonly selectedUser = computed<PickedUser | null>(() => {
    const id = this.payments.filter().userId;
    return id ? { id, email: null, name: null } : null;
  });

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

  protected readonly table: TableSpec<Payment> = {
    noun: 'payments',
    columns: this.columns,
    testIdPrefix: 'payments',
    rowTestId: 'payment-row',
    rowAttributes: this.rowData,
    emptyText: 'Nobody has bought credits yet.',
    filteredEmptyText: 'No payments match these filters.',
  };

  /** A status this console does not know yet is shown as sent. */
  protected statusLabel(status: PaymentStatus | string): string {
    return (PAYMENT_STATUS_LABELS as Readonly<Record<string, string>>)[status] ?? status;
  }

  protected isBad(status: PaymentStatus): boolean {
    return status === 'FAILED' || status === 'EXPIRED';
  }

  protected pickUser(user: PickedUser | null): void {
    this.payments.apply({ userId: user?.id ?? null });
  }
}
