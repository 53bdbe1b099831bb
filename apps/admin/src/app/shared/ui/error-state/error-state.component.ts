import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/** A failed load: the reason in words people understand, and a way to try again. */
@Component({
  selector: 'sah-error-state',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <div class="error-state" role="alert" data-testid="error-state">
      <mat-icon aria-hidden="true">error</mat-icon>
      <p>{{ message() }}</p>
      <button mat-stroked-button type="button" (click)="retry.emit()" data-testid="error-retry">Try again</button>
    </div>
  `,
  styles: `
    .error-state {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
      padding: 16px;
      border-radius: 12px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    p {
      flex: 1 1 12rem;
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ErrorStateComponent {
  readonly message = input.required<string>();
  readonly retry = output();
}
