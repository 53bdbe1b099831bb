import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import type { ReloadableQuery } from '../../data/reloadable-query';
import { ErrorStateComponent } from '../error-state/error-state.component';

/**
 * The states of a part of a page that loads by itself (a summary, a chart): the error with a retry,
 * a spinner before the first answer, then the projected content under a thin progress bar that runs
 * while the query loads again (the content stays). `<sah-table-panel>` does the same for tables.
 *
 * ```html
 * <sah-query-state [query]="daily" loadingLabel="Loading usage per day">
 *   @if (daily.value(); as summary) { … }
 * </sah-query-state>
 * ```
 */
@Component({
  selector: 'sah-query-state',
  imports: [MatProgressBarModule, MatProgressSpinnerModule, ErrorStateComponent],
  template: `
    @if (query().error(); as message) {
      <sah-error-state [message]="message" (retry)="query().reload()" />
    } @else if (query().value() !== null) {
      <div class="query-state__progress" [attr.aria-busy]="query().loading()">
        @if (query().loading()) {
          <mat-progress-bar mode="indeterminate" [attr.aria-label]="loadingLabel()" />
        }
      </div>
      <ng-content />
    } @else {
      <div class="query-state__loading">
        <mat-progress-spinner mode="indeterminate" diameter="40" [attr.aria-label]="loadingLabel()" />
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .query-state__progress {
      height: 4px;
      margin-bottom: 8px;
    }
    .query-state__loading {
      display: flex;
      justify-content: center;
      padding: 48px 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QueryStateComponent {
  readonly query = input.required<Pick<ReloadableQuery<unknown>, 'value' | 'loading' | 'error' | 'reload'>>();
  /** Names the spinner and the progress bar, e.g. "Loading usage per day". */
  readonly loadingLabel = input.required<string>();
}
