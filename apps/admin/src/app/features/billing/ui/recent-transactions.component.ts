import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { CreditTransaction } from '../data-access/billing.types';
import { CreditsPipe } from './credits.pipe';
import { TransactionTypePipe } from './transaction-type.pipe';

/** A short list of transactions (date, type, reason, signed amount) for account cards. */
@Component({
  selector: 'sah-recent-transactions',
  imports: [DatePipe, CreditsPipe, TransactionTypePipe],
  template: `
    <ul class="row-list">
      @for (tx of transactions(); track tx.id) {
        <li class="row-list__row" data-testid="recent-transaction" [attr.data-type]="tx.type">
          <span class="recent__what">
            <span class="recent__type">{{ tx.type | transactionType }}</span>
            <span class="recent__meta">{{ tx.createdAt | date: 'medium' }}{{ tx.reason ? ' · ' + tx.reason : '' }}</span>
          </span>
          <span
            class="recent__amount"
            [class.recent__amount--credit]="tx.amount > 0"
            [class.recent__amount--debit]="tx.amount < 0"
            data-testid="recent-amount"
          >
            {{ tx.amount | credits: 'signed' }}
          </span>
        </li>
      }
    </ul>
  `,
  styles: `
    :host {
      display: block;
    }
    .recent__what {
      min-width: 0;
    }
    .recent__type {
      display: block;
    }
    .recent__meta {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      overflow-wrap: anywhere;
    }
    .recent__amount {
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
    .recent__amount--credit {
      color: light-dark(#1b6e2a, #7dd88c);
    }
    .recent__amount--debit {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RecentTransactionsComponent {
  readonly transactions = input.required<readonly CreditTransaction[]>();
}
