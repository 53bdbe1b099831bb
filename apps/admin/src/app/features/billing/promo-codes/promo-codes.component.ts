import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { PageEvent } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { filter, map, switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter, urlSearch } from '../../../shared/data/url-filter';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { BillingApi } from '../data-access/billing.api';
import type { PromoCode } from '../data-access/billing.types';
import { CreditsPipe } from '../ui/credits.pipe';
import { openCreatePromoCode } from './create-promo-code-dialog.component';
import { PROMO_STATUS_LABELS, promoCodeStatus } from './promo-code-status';
import {
  DEFAULT_PROMO_PER_PAGE,
  PROMO_PAGE_SIZES,
  PROMO_SEARCH_MAX_LENGTH,
  toPromoCodesFilter,
} from './promo-codes-filter';

type FilterChange = Partial<Record<'search' | 'status', string | null>>;

/** Promo codes with their usage: create, find, deactivate (admins). */
@Component({
  selector: 'sah-promo-codes',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    CreditsPipe,
    TablePanelComponent,
  ],
  templateUrl: './promo-codes.component.html',
  styleUrl: './promo-codes.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PromoCodesComponent {
  private readonly api = inject(BillingApi);
  private readonly url = urlFilter(DEFAULT_PROMO_PER_PAGE);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  // Bound from the query string: the URL is the one source of truth for the filter.
  readonly search = input<string>();
  readonly status = input<string>();
  readonly page = input<string>();
  readonly perPage = input<string>();

  protected readonly pageSizes = PROMO_PAGE_SIZES;
  protected readonly searchMaxLength = PROMO_SEARCH_MAX_LENGTH;
  protected readonly statusLabels = PROMO_STATUS_LABELS;
  protected readonly statusOf = promoCodeStatus;

  protected readonly filter = computed(
    () =>
      toPromoCodesFilter({ search: this.search(), status: this.status(), page: this.page(), perPage: this.perPage() }),
    { equal: sameJson },
  );
  protected readonly statusValue = computed(() => {
    const { active } = this.filter();
    return active === undefined ? '' : active ? 'active' : 'inactive';
  });
  protected readonly hasFilters = computed(() => {
    const { search, active } = this.filter();
    return Boolean(search) || active !== undefined;
  });

  private readonly list = pagedQuery(this.filter, (current) => this.api.promoCodes(current));
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly result = this.list.page;
  protected readonly rows = this.list.rows;
  protected readonly deactivating = signal<string | null>(null);

  private readonly searchBox = urlSearch(
    this.search,
    () => this.filter().search,
    (search) => this.applyFilter({ search }, { replaceUrl: true }),
  );
  protected readonly searchControl = this.searchBox.control;

  private readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 839px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly isNarrow = this.narrow;
  protected readonly columns = computed(() =>
    this.narrow()
      ? ['code', 'usage', 'status', 'actions']
      : ['code', 'credits', 'usage', 'remaining', 'expiresAt', 'creditsValidDays', 'status', 'actions'],
  );

  protected applyFilter(change: FilterChange, options: { replaceUrl?: boolean } = {}): void {
    this.url.apply(change, options);
  }

  protected clearFilters(): void {
    this.searchBox.clear();
    this.applyFilter({ search: null, status: null });
  }

  protected changePage(event: PageEvent): void {
    this.url.changePage(event);
  }

  protected retry(): void {
    this.list.reload();
  }

  protected create(): void {
    openCreatePromoCode(this.dialog)
      .pipe(filter((code) => code !== undefined))
      .subscribe((code) => {
        this.snackBar.open(`Promo code ${code.code} created.`, 'OK', { duration: 5000 });
        this.list.reload();
      });
  }

  protected deactivate(code: PromoCode): void {
    confirmAction(this.dialog, {
      title: `Deactivate ${code.code}?`,
      message: 'Nobody can redeem it any more. Credits already granted with it stay. This cannot be undone.',
      confirmLabel: 'Deactivate',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.deactivating.set(code.id);
          return this.api.deactivatePromoCode(code.id);
        }),
      )
      .subscribe({
        next: (updated) => {
          this.deactivating.set(null);
          this.snackBar.open(`${updated.code} is deactivated.`, 'OK', { duration: 5000 });
          this.list.reload();
        },
        error: (error: unknown) => {
          this.deactivating.set(null);
          this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
        },
      });
  }
}
