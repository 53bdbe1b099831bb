import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { DecimalPipe } from '@angular/common';

import type { CreditBalance, CreditForecast } from '../data-access/billing.types';
import { CreditsPipe } from './credits.pipe';

/** Balance, reserved and available credits side by side, and the forecast when there is one. */
@Component({
  selector: 'sah-credit-balance-figures',
  imports: [DecimalPipe, CreditsPipe],
  template: `
    <dl class="figures" data-testid="balance-figures">
      <div class="figures__item figures__item--main">
        <dt>Available</dt>
        <dd data-testid="balance-available">{{ balance().available | credits }}</dd>
      </div>
      <div class="figures__item">
        <dt>Balance</dt>
        <dd data-testid="balance-total">{{ balance().balance | credits }}</dd>
      </div>
      <div class="figures__item">
        <dt>Reserved</dt>
        <dd data-testid="balance-reserved">{{ balance().reserved | credits }}</dd>
      </div>
    </dl>
    @if (forecast(); as f) {
      <p class="figures__forecast" data-testid="balance-forecast">
        @if (f.daysUntilEmpty === null) {
          Nothing spent in the last {{ f.windowDays }} days.
        } @else {
          About {{ f.daysUntilEmpty | number: '1.0-0' }} days left at
          {{ f.averageDailySpend | credits }} credits a day (last {{ f.windowDays }} days).
        }
      </p>
    }
  `,
  styles: `
    @use '../../../shared/ui/figures';

    :host {
      display: block;
    }
    .figures {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 32px;
      margin: 0;
    }
    .figures__item {
      @include figures.figure-terms;
    }
    .figures__item--main dd {
      font: var(--mat-sys-headline-medium);
      color: var(--mat-sys-primary);
    }
    .figures__forecast {
      margin: 8px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreditBalanceFiguresComponent {
  readonly balance = input.required<CreditBalance>();
  readonly forecast = input<CreditForecast | null>(null);
}
