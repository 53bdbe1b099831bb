import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { listPage } from '../../../shared/data/list-page';
import { listActions } from '../../../shared/ui/list-actions';
import { actionsColumn, LIST_PAGE_IMPORTS, statusLook, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { BillingApi } from '../data-access/billing.api';
import type { PromoCode } from '../data-access/billing.types';
import { creditsColumn } from '../ui/credits-column';
import { CreditsPipe } from '../ui/credits.pipe';
import { openCreatePromoCode } from './create-promo-code-dialog.component';
import { PROMO_STATUS_LABELS, PROMO_STATUS_TONES, promoCodeStatus } from './promo-code-status';
import { PROMO_LIST } from './promo-codes-filter';

/** Promo codes with their usage: create, find, deactivate (admins). */
@Component({
  selector: 'sah-promo-codes',
  imports: [CreditsPipe, LIST_PAGE_IMPORTS],
  templateUrl: './promo-codes.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PromoCodesComponent {
  private readonly api = inject(BillingApi);
  private readonly actions = listActions();

  /** The filter comes from the query string: the URL is the one source of truth. */
  protected readonly codes = listPage(PROMO_LIST, (current) => this.api.promoCodes(current));
  private readonly deactivate = this.actions.irreversible({
    label: 'Deactivate',
    name: (code: PromoCode) => code.code,
    testId: 'promo-deactivate',
    shown: (code) => code.active,
    warning: () => 'Nobody can redeem it any more. Credits already granted with it stay.',
    call: (code) => this.api.deactivatePromoCode(code.id),
    done: (updated) => `${updated.code} is deactivated.`,
    then: () => this.codes.reload(),
  });

  protected readonly newCode = { label: 'New promo code', icon: 'add', testId: 'promo-new' };
  protected readonly table: TableSpec<PromoCode> = {
    noun: 'promo codes',
    columns: [
      { key: 'code', header: 'Code' },
      creditsColumn('credits', 'Credits', (code) => code.credits),
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
        cell: (code, locale) => (code.expiresAt ? formatDate(code.expiresAt, 'medium', locale) : 'Never'),
      },
      {
        key: 'creditsValidDays',
        header: 'Credits valid',
        cell: (code) => (code.creditsValidDays ? `${code.creditsValidDays} days` : 'No limit'),
      },
      {
        key: 'status',
        header: 'Status',
        chip: (code) => statusLook(promoCodeStatus(code), PROMO_STATUS_TONES, PROMO_STATUS_LABELS),
        chipTestId: 'promo-status',
      },
      actionsColumn(this.deactivate),
    ],
    narrowColumns: ['code', 'usage', 'status', 'actions'],
    testIdPrefix: 'promo',
    rowTestId: 'promo-row',
    rowAttributes: (code) => ({ 'data-code': code.code }),
    emptyText: 'There are no promo codes yet.',
  };

  protected readonly isNarrow = narrowScreen(839);

  protected create(): void {
    this.actions.afterDialog(
      (dialog) => openCreatePromoCode(dialog),
      (code) => `Promo code ${code.code} created.`,
      () => this.codes.reload(),
    );
  }
}
