import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { PageEvent } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter } from '../../../shared/data/url-filter';
import { FilterBarComponent } from '../../../shared/ui/filter-bar/filter-bar.component';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { BillingApi } from '../data-access/billing.api';
import type { PaymentStatus } from '../data-access/billing.types';
import { CreditsPipe } from '../ui/credits.pipe';
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
    DatePipe,
    RouterLink,
    MatTableModule,
    MatTooltipModule,
    CreditsPipe,
    PricePipe,
    UserPickerComponent,
    FilterBarComponent,
    TablePanelComponent,
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
  protected readonly columns = computed(() =>
    this.isNarrow()
      ? ['createdAt', 'package', 'amount', 'status']
      : ['createdAt', 'user', 'package', 'credits', 'amount', 'status'],
  );

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
