import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';

/** Honest placeholder for a section whose bounded context has not shipped yet. */
@Component({
  selector: 'sah-empty-state',
  imports: [MatCardModule, MatIconModule],
  template: `
    <mat-card appearance="outlined" class="empty-state" data-testid="empty-state">
      <mat-card-content>
        <mat-icon class="empty-state__icon" aria-hidden="true">{{ icon() }}</mat-icon>
        <h2>{{ heading() }}</h2>
        <p>This section arrives with the {{ context() }} context.</p>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .empty-state {
      max-width: 40rem;
      text-align: center;
    }
    .empty-state__icon {
      width: 48px;
      height: 48px;
      font-size: 48px;
      margin-top: 16px;
      color: var(--mat-sys-primary);
    }
    h2 {
      font: var(--mat-sys-title-large);
      margin: 8px 0;
    }
    p {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmptyStateComponent {
  readonly icon = input.required<string>();
  readonly heading = input.required<string>();
  /** Name of the bounded context that will fill this page, e.g. "Billing". */
  readonly context = input.required<string>();
}
