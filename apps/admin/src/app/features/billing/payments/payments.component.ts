import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import type { PageEvent } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { map } from 'rxjs';

import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter } from '../../../shared/data/url-filter';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { BillingApi } from '../data-access/billing.api';
import { PAYMENT_STATUSES, type PaymentStatus } from '../data-access/billing.types';
import { CreditsPipe } from '../ui/credits.pipe';
import { PricePipe } from '../ui/price.pipe';
import { UserPickerComponent, type PickedUser } from '../ui/user-picker.component';
import {
  DEFAULT_PAYMENTS_PER_PAGE,
  PAYMENT_PAGE_SIZES,
  PAYMENT_STATUS_LABELS,
  toPaymentsFilter,
} from './payments-filter';

type FilterChange = Partial<Record<'status' | 'userId' | 'flagged', string | null>>;

/** Stripe top-ups, newest first, with their state (admins). */
@Component({
  selector: 'sah-payments',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    CreditsPipe,
    PricePipe,
    UserPickerComponent,
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

  protected readonly statuses = PAYMENT_STATUSES;
  protected readonly statusLabels = PAYMENT_STATUS_LABELS;
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

  private readonly list = pagedQuery(this.filter, (current) => this.api.payments(current));
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly result = this.list.page;
  protected readonly rows = this.list.rows;

  private readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 839px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly isNarrow = this.narrow;
  protected readonly columns = computed(() =>
    this.narrow()
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

  protected applyFilter(change: FilterChange): void {
    this.url.apply(change);
  }

  protected pickUser(user: PickedUser | null): void {
    this.applyFilter({ userId: user?.id ?? null });
  }

  protected clearFilters(): void {
    this.applyFilter({ status: null, userId: null, flagged: null });
  }

  protected changePage(event: PageEvent): void {
    this.url.changePage(event);
  }

  protected retry(): void {
    this.list.reload();
  }
}
