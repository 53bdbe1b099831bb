import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';

import { listPage } from '../../../shared/data/list-page';
import { createdColumn, LIST_PAGE_IMPORTS, userColumn, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { BillingApi } from '../data-access/billing.api';
import type { Payment } from '../data-access/billing.types';
import { AccountFilterComponent } from '../ui/account-filter.component';
import { creditsColumn } from '../ui/credits-column';
import { CreditsPipe } from '../ui/credits.pipe';
import { PricePipe } from '../ui/price.pipe';
import { PAYMENT_STATUS_LABELS, PAYMENT_STATUS_TONES, PAYMENTS_LIST } from './payments-filter';

/**
 * Stripe top-ups, newest first, with their state (admins). A purchase made for a team's wallet says
 * so in words, the team's id in its tooltip: the payment names the team by id only.
 */
@Component({
  selector: 'sah-payments',
  imports: [MatTooltipModule, CreditsPipe, PricePipe, AccountFilterComponent, LIST_PAGE_IMPORTS],
  templateUrl: './payments.component.html',
  styleUrl: './payments.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PaymentsComponent {
  private readonly api = inject(BillingApi);

  /** The filter comes from the query string: the URL is the one source of truth. */
  protected readonly payments = listPage(PAYMENTS_LIST, (filter) => this.api.payments(filter));

  protected readonly isNarrow = narrowScreen(839);

  protected readonly table: TableSpec<Payment> = {
    noun: 'payments',
    columns: [
      createdColumn(this.isNarrow),
      userColumn('user', 'User', (payment) => payment.userId),
      { key: 'package', header: 'Package' },
      creditsColumn('credits', 'Credits', (payment) => payment.credits),
      { key: 'team', header: 'For', testId: 'payment-for' },
      { key: 'amount', header: 'Amount', class: 'table-panel__number', testId: 'payment-amount' },
      { key: 'status', header: 'Status' },
    ],
    narrowColumns: ['createdAt', 'package', 'amount', 'status'],
    testIdPrefix: 'payments',
    rowTestId: 'payment-row',
    rowAttributes: (payment) => ({
      'data-status': payment.status,
      'data-flagged': payment.flagged ? 'true' : null,
      'data-team-id': payment.teamId,
    }),
    emptyText: 'Nobody has bought credits yet.',
  };
  protected readonly statusLabels = PAYMENT_STATUS_LABELS;
  protected readonly statusTones = PAYMENT_STATUS_TONES;
}
