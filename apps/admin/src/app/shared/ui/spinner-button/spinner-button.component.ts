import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

/**
 * A Material button that waits while its work runs: disabled, with a spinner named `busyLabel`
 * in its icon's place, so the label stays and the button keeps its width.
 *
 * ```html
 * <sah-spinner-button appearance="outlined" icon="download" [busy]="csv.busy()" busyLabel="Exporting"
 *                     testId="usage-export" (run)="csv.start()">Export CSV</sah-spinner-button>
 * ```
 */
@Component({
  selector: 'sah-spinner-button',
  imports: [MatButtonModule, MatIconModule, MatProgressSpinnerModule],
  template: `
    <button
      [matButton]="appearance()"
      type="button"
      (click)="run.emit()"
      [disabled]="busy() || disabled()"
      [attr.aria-label]="ariaLabel()"
      [attr.data-testid]="testId()"
    >
      @if (busy()) {
        <mat-progress-spinner mode="indeterminate" diameter="18" [attr.aria-label]="busyLabel()" />
      } @else if (icon()) {
        <mat-icon>{{ icon() }}</mat-icon>
      }
      <ng-content />
    </button>
  `,
  styles: `
    :host {
      display: inline-block;
    }
    mat-progress-spinner {
      display: inline-block;
      vertical-align: middle;
      margin-right: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SpinnerButtonComponent {
  /** `filled` (a page's main action, `mat-flat-button`), `outlined` (`mat-stroked-button`) or `text`. */
  readonly appearance = input<'filled' | 'outlined' | 'text'>('filled');
  /** A Material icon name, shown while not busy. */
  readonly icon = input<string | null>(null);
  readonly busy = input(false);
  readonly busyLabel = input('');
  readonly disabled = input(false);
  readonly ariaLabel = input<string | null>(null);
  readonly testId = input<string | null>(null);
  readonly run = output();
}
