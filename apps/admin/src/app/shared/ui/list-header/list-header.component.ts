import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

import { SpinnerButtonComponent } from '../spinner-button/spinner-button.component';

/** The primary action of a list page: a flat button with an icon (`New model`, `Add key`). */
export interface ListHeaderAction {
  readonly label: string;
  /** A Material icon name. */
  readonly icon: string;
  readonly testId: string;
}

/**
 * A secondary action of a list page, after the primary one: a stroked button that calls `run`
 * (`Export CSV`, `Reload`), or a stroked link to `link` (`Bulk adjust`). Its state is read from
 * signals of the page, so the constant stays fixed.
 */
export interface ListHeaderSecondaryAction extends ListHeaderAction {
  readonly run?: () => void;
  /** A router link instead of a button. */
  readonly link?: string;
  /** Only while this answers true (a permission). */
  readonly shown?: () => boolean;
  readonly disabled?: () => boolean;
  /** While true the button waits and a spinner named `busyLabel` takes the icon's place. */
  readonly busy?: () => boolean;
  readonly busyLabel?: string;
}

/**
 * The line above a list page's table: the page's title or intro (projected: `<h1 class="page-title">`
 * or `<p class="list-intro">`), its primary action, which emits `run`, and its secondary actions.
 *
 * ```html
 * <sah-list-header [action]="newModel" [disabled]="!models()" (run)="create()">
 *   <p class="list-intro">What clients may call…</p>
 * </sah-list-header>
 * ```
 */
@Component({
  selector: 'sah-list-header',
  imports: [MatButtonModule, MatIconModule, RouterLink, SpinnerButtonComponent],
  host: { class: 'list-header' },
  template: `
    <ng-content />
    @if (action() || secondary().length > 0) {
      <div class="list-header__actions">
        @if (action(); as action) {
          <sah-spinner-button
            [icon]="action.icon"
            [disabled]="disabled()"
            [testId]="action.testId"
            (run)="run.emit()"
            >{{ action.label }}</sah-spinner-button
          >
        }
        @for (more of secondary(); track more.testId) {
          @if (!more.shown || more.shown()) {
            @if (more.link) {
              <a mat-stroked-button [routerLink]="more.link" [attr.data-testid]="more.testId">
                <mat-icon>{{ more.icon }}</mat-icon>
                {{ more.label }}
              </a>
            } @else {
              <sah-spinner-button
                appearance="outlined"
                [icon]="more.icon"
                [busy]="more.busy?.() ?? false"
                [busyLabel]="more.busyLabel ?? ''"
                [disabled]="more.disabled?.() ?? false"
                [testId]="more.testId"
                (run)="more.run?.()"
                >{{ more.label }}</sah-spinner-button
              >
            }
          }
        }
      </div>
    }
  `,
  styles: `
    .list-header__actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListHeaderComponent {
  readonly action = input<ListHeaderAction | null>(null);
  readonly disabled = input(false);
  readonly secondary = input<readonly ListHeaderSecondaryAction[]>([]);
  readonly run = output();
}
