import { ChangeDetectionStrategy, Component, computed, inject, input, LOCALE_ID } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { budgetUse } from './team-budget';

/**
 * Credits spent against a limit: the figures in words and, when there is a limit, a bar named with
 * the same words (`label` says whose spending and over which period, e.g. "Ada, today").
 */
@Component({
  selector: 'sah-budget-bar',
  imports: [MatProgressBarModule],
  template: `
    <span class="budget-bar__text" data-testid="budget-text">{{ use().text }}</span>
    @if (use().percent !== null) {
      <mat-progress-bar
        mode="determinate"
        [value]="use().percent"
        [class.budget-bar--high]="use().high"
        [attr.aria-label]="label() + ': ' + use().text"
        data-testid="budget-bar"
      />
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 4px;
      min-width: 10rem;
    }
    .budget-bar--high {
      --mat-progress-bar-active-indicator-color: var(--mat-sys-error);
    }
  `,
  host: { '[attr.data-percent]': 'use().percent' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BudgetBarComponent {
  readonly label = input.required<string>();
  readonly used = input.required<number>();
  readonly limit = input.required<number | null>();

  private readonly locale = inject(LOCALE_ID);
  protected readonly use = computed(() => budgetUse(this.used(), this.limit(), this.locale));
}
