import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import type { PageEvent } from '@angular/material/paginator';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { filter, switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter } from '../../../shared/data/url-filter';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { FilterBarComponent } from '../../../shared/ui/filter-bar/filter-bar.component';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { BillingApi } from '../data-access/billing.api';
import type { PromoCode } from '../data-access/billing.types';
import { CreditsPipe } from '../ui/credits.pipe';
import { openCreatePromoCode } from './create-promo-code-dialog.component';
import { PROMO_STATUS_LABELS, promoCodeStatus } from './promo-code-status';
import {
  DEFAULT_PROMO_PER_PAGE,
  PROMO_FILTER_FIELDS,
  PROMO_PAGE_SIZES,
  toPromoCodesFilter,
} from './promo-codes-filter';

/** Promo codes with their usage: create, find, deactivate (admins). */
@Component({
  selector: 'sah-promo-codes',
  imports: [
    DatePipe,
    MatButtonModule,
    MatIconModule,
    MatTableModule,
    CreditsPipe,
    FilterBarComponent,
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
  protected readonly filterFields = PROMO_FILTER_FIELDS;
  protected readonly statusLabels = PROMO_STATUS_LABELS;
  protected readonly statusOf = promoCodeStatus;

  protected readonly filter = computed(
    () =>
      toPromoCodesFilter({ search: this.search(), status: this.status(), page: this.page(), perPage: this.perPage() }),
    { equal: sameJson },
  );
  protected readonly hasFilters = computed(() => {
    const { search, active } = this.filter();
    return Boolean(search) || active !== undefined;
  });

  protected readonly list = pagedQuery(this.filter, (current) => this.api.promoCodes(current));
  protected readonly rows = this.list.rows;
  protected readonly deactivating = signal<string | null>(null);

  protected readonly isNarrow = narrowScreen(839);
  protected readonly columns = computed(() =>
    this.isNarrow()
      ? ['code', 'usage', 'status', 'actions']
      : ['code', 'credits', 'usage', 'remaining', 'expiresAt', 'creditsValidDays', 'status', 'actions'],
  );

  protected changePage(event: PageEvent): void {
    this.url.changePage(event);
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
