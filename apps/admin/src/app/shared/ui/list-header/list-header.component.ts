import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/** The primary action of a list page: a flat button with an icon (`New model`, `Add key`). */
export interface ListHeaderAction {
  readonly label: string;
  /** A Material icon name. */
  readonly icon: string;
  readonly testId: string;
}

/**
 * The line above a list page's table: the page's title or intro (projected: `<h1 class="page-title">`
 * or `<p class="list-intro">`) and its primary action, which emits `run`.
 *
 * ```html
 * <sah-list-header [action]="newModel" [disabled]="!models()" (run)="create()">
 *   <p class="list-intro">What clients may call…</p>
 * </sah-list-header>
 * ```
 */
@Component({
  selector: 'sah-list-header',
  imports: [MatButtonModule, MatIconModule],
  host: { class: 'list-header' },
  template: `
    <ng-content />
    @if (action(); as action) {
      <button
        mat-flat-button
        type="button"
        (click)="run.emit()"
        [disabled]="disabled()"
        [attr.data-testid]="action.testId"
      >
        <mat-icon>{{ action.icon }}</mat-icon>
        {{ action.label }}
      </button>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListHeaderComponent {
  readonly action = input<ListHeaderAction | null>(null);
  readonly disabled = input(false);
  readonly run = output();
}
