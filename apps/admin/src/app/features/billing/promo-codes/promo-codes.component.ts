import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, LOCALE_ID, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter, switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { listPage } from '../../../shared/data/list-page';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { BillingApi } from '../data-access/billing.api';
import type { PromoCode } from '../data-access/billing.types';
import { CreditsPipe, formatCredits } from '../ui/credits.pipe';
import { openCreatePromoCode } from './create-promo-code-dialog.component';
import { PROMO_STATUS_LABELS, promoCodeStatus } from './promo-code-status';
import { PROMO_FILTER_FIELDS, PROMO_PAGING, toPromoCodesFilter } from './promo-codes-filter';

/** Promo codes with their usage: create, find, deactivate (admins). */
@Component({
  selector: 'sah-promo-codes',
  imports: [CreditsPipe, LIST_PAGE_IMPORTS],
  templateUrl: './promo-codes.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PromoCodesComponent {
  private readonly api = inject(BillingApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly locale = inject(LOCALE_ID);

  protected readonly filterFields = PROMO_FILTER_FIELDS;
  /** The filter comes from the query string: the URL is the one source of truth. */
  protected readonly codes = listPage({ ...PROMO_PAGING, parse: toPromoCodesFilter }, (current) =>
    this.api.promoCodes(current),
  );
  protected readonly deactivating = signal<string | null>(null);

  protected readonly newCode = { label: 'New promo code', icon: 'add', testId: 'promo-new' };
  protected readonly table: TableSpec<PromoCode> = {
    noun: 'promo codes',
    columns: [
      { key: 'code', header: 'Code' },
      {
        key: 'credits',
        header: 'Credits',
        cell: (code) => formatCredits(code.credits, this.locale),
        class: 'table-panel__number',
      },
      {
        key: 'usage',
        header: 'Uses',
        cell: (code) => `${code.uses} / ${code.maxUses ?? '∞'}`,
        class: 'table-panel__number',
        testId: 'promo-usage',
      },
      {
        key: 'remaining',
        header: 'Remaining',
        cell: (code) => code.remainingUses ?? 'Unlimited',
        class: 'table-panel__number',
      },
      {
        key: 'expiresAt',
        header: 'Expires',
        cell: (code) => (code.expiresAt ? formatDate(code.expiresAt, 'medium', this.locale) : 'Never'),
      },
      {
        key: 'creditsValidDays',
        header: 'Credits valid',
        cell: (code) => (code.creditsValidDays ? `${code.creditsValidDays} days` : 'No limit'),
      },
      {
        key: 'status',
        header: 'Status',
        chip: (code) => {
          const status = promoCodeStatus(code);
          return { label: PROMO_STATUS_LABELS[status], tone: status === 'active' ? null : 'muted' };
        },
        chipTestId: 'promo-status',
      },
      actionsColumn({
        label: 'Deactivate',
        destructive: true,
        ariaLabel: (code) => `Deactivate ${code.code}`,
        testId: 'promo-deactivate',
        shown: (code) => code.active,
        disabled: (code) => this.deactivating() === code.id,
        run: (code) => this.deactivate(code),
      }),
    ],
    testIdPrefix: 'promo',
    rowTestId: 'promo-row',
    rowAttributes: (code) => ({ 'data-code': code.code }),
    emptyText: 'There are no promo codes yet.',
    filteredEmptyText: 'No promo codes match these filters.',
  };

  protected readonly isNarrow = narrowScreen(839);
  protected readonly shownColumns = computed(() =>
    this.isNarrow()
      ? ['code', 'usage', 'status', 'actions']
      : ['code', 'credits', 'usage', 'remaining', 'expiresAt', 'creditsValidDays', 'status', 'actions'],
  );

  protected create(): void {
    openCreatePromoCode(this.dialog)
      .pipe(filter((code) => code !== undefined))
      .subscribe((code) => {
        this.snackBar.open(`Promo code ${code.code} created.`, 'OK', { duration: 5000 });
        this.codes.reload();
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
          this.codes.reload();
        },
        error: (error: unknown) => {
          this.deactivating.set(null);
          this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
        },
      });
  }
}
