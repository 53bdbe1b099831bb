import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  contentChild,
  input,
  output,
  TemplateRef,
  ViewEncapsulation,
} from '@angular/core';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import type { Page } from '../../data/page';
import type { PagedQuery } from '../../data/paged-query';
import type { ReloadableQuery } from '../../data/reloadable-query';
import { ErrorStateComponent } from '../error-state/error-state.component';

/** Where a server-paged list stands; the paginator shows it (1-based page, as the API answers). */
export interface TablePagePosition {
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
}

/** A server-paged list (`pagedQuery`) or a whole list (`reloadableQuery`). */
export type TableQuery =
  | Pick<PagedQuery<Page<unknown>>, 'page' | 'loading' | 'error' | 'reload'>
  | Pick<ReloadableQuery<readonly unknown[]>, 'value' | 'loading' | 'error' | 'reload'>;

/**
 * The frame every data table in the console sits in: the error state with a retry, a spinner
 * before the first answer, then an outlined panel with a progress bar while reloading (the rows
 * stay on screen), a horizontally scrolling table (with a line under its headers when it has no rows) and,
 * for server-paged lists, the paginator.
 *
 * The table comes in an `<ng-template>` so it is only created once there is something to show,
 * and keeps the page's own styles and bindings:
 *
 * ```html
 * <sah-table-panel noun="users" [query]="list" emptyText="There are no users yet." …>
 *   <ng-template><table mat-table …>…</table></ng-template>
 * </sah-table-panel>
 * ```
 */
@Component({
  selector: 'sah-table-panel',
  imports: [NgTemplateOutlet, MatPaginatorModule, MatProgressBarModule, MatProgressSpinnerModule, ErrorStateComponent],
  template: `
    @if (shownError(); as message) {
      <sah-error-state [message]="message" (retry)="retryLoad()" />
    } @else if (answered()) {
      <section class="table-panel" [attr.aria-label]="label()" [attr.aria-busy]="busy()">
        <div class="table-panel__progress">
          @if (busy()) {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Loading ' + noun()" />
          }
        </div>
        <div class="table-panel__scroll">
          <ng-container [ngTemplateOutlet]="table()" />
        </div>
        @if (empty()) {
          <p class="table-panel__empty" role="status" [attr.data-testid]="emptyTestId()">
            {{ filtered() ? filteredEmptyText() : emptyText() }}
          </p>
        }
        @if (shownPosition(); as at) {
          <mat-paginator
            [length]="at.total"
            [pageIndex]="at.page - 1"
            [pageSize]="at.perPage"
            [pageSizeOptions]="pageSizes()"
            (page)="page.emit($event)"
            [attr.aria-label]="'Pages of ' + noun()"
            [attr.data-testid]="paginatorTestId()"
          />
        }
      </section>
    } @else {
      <div class="table-panel__loading">
        <mat-progress-spinner mode="indeterminate" diameter="40" [attr.aria-label]="'Loading ' + noun()" />
      </div>
    }
  `,
  // Not encapsulated: the table and its "no rows" cell are the page's markup, projected in.
  styles: `
    .table-panel {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      overflow: hidden;
    }
    .table-panel__progress {
      height: 4px;
    }
    .table-panel__scroll {
      overflow-x: auto;
    }
    .table-panel__scroll > table {
      width: 100%;
    }
    .table-panel__empty {
      margin: 0;
      padding: 24px 16px;
      color: var(--mat-sys-on-surface-variant);
    }
    .table-panel__loading {
      display: flex;
      justify-content: center;
      padding: 48px 0;
    }
  `,
  encapsulation: ViewEncapsulation.None,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TablePanelComponent {
  /** What the rows are, lower-case and plural ("promo codes"): names the region, the loaders and the pages. */
  readonly noun = input.required<string>();
  /**
   * The list's query: a server-paged one (with paginator) or a whole list. It gives the error, the
   * loading and empty states and the position, and "Try again" reloads it. Lists loaded some other
   * way set `error`, `loading`, `ready` and `position` themselves and handle `retry`.
   */
  readonly query = input<TableQuery | null>(null);
  readonly error = input<string | null>(null);
  readonly loading = input(false);
  readonly ready = input(false);
  readonly position = input<TablePagePosition | null | undefined>(undefined);
  readonly pageSizes = input<readonly number[]>([]);
  readonly paginatorTestId = input<string | null>(null);
  /** Whether filters are set, which picks the empty line: "nothing yet" or "nothing matches". */
  readonly filtered = input(false);
  readonly emptyText = input('');
  readonly filteredEmptyText = input('');
  readonly emptyTestId = input<string | null>(null);

  readonly page = output<PageEvent>();
  readonly retry = output();

  protected readonly table = contentChild.required(TemplateRef);
  protected readonly shownError = computed(() => this.query()?.error() ?? this.error());
  protected readonly busy = computed(() => this.query()?.loading() ?? this.loading());
  private readonly answer = computed(() => {
    const query = this.query();
    if (!query) return null;
    return 'page' in query ? query.page() : query.value();
  });
  /** The first answer has arrived. */
  protected readonly answered = computed(() => (this.query() ? this.answer() !== null : this.ready()));
  /** No rows to show: a line under the column headers says so (the paginator stays, to page back). */
  protected readonly empty = computed(() => {
    const answer = this.answer();
    return answer !== null && ('items' in answer ? answer.items : answer).length === 0;
  });
  protected readonly shownPosition = computed(() => {
    if (!this.query()) return this.position();
    const answer = this.answer();
    return answer && 'pageInfo' in answer ? answer.pageInfo : null;
  });
  protected readonly label = computed(() => {
    const noun = this.noun();
    return noun.charAt(0).toUpperCase() + noun.slice(1);
  });

  protected retryLoad(): void {
    this.query()?.reload();
    this.retry.emit();
  }
}
