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

import { ErrorStateComponent } from '../error-state/error-state.component';

/** Where a server-paged list stands; the paginator shows it (1-based page, as the API answers). */
export interface TablePagePosition {
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
}

/**
 * The frame every data table in the console sits in: the error state with a retry, a spinner
 * before the first answer, then an outlined panel with a progress bar while reloading (the rows
 * stay on screen), a horizontally scrolling table and, for server-paged lists, the paginator.
 *
 * The table comes in an `<ng-template>` so it is only created once there is something to show,
 * and keeps the page's own styles and bindings:
 *
 * ```html
 * <sah-table-panel noun="users" [error]="error()" [loading]="loading()" [ready]="!!result()" …>
 *   <ng-template><table mat-table …>…</table></ng-template>
 * </sah-table-panel>
 * ```
 */
@Component({
  selector: 'sah-table-panel',
  imports: [NgTemplateOutlet, MatPaginatorModule, MatProgressBarModule, MatProgressSpinnerModule, ErrorStateComponent],
  template: `
    @if (error(); as message) {
      <sah-error-state [message]="message" (retry)="retry.emit()" />
    } @else if (ready()) {
      <section class="table-panel" [attr.aria-label]="label()" [attr.aria-busy]="loading()">
        <div class="table-panel__progress">
          @if (loading()) {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Loading ' + noun()" />
          }
        </div>
        <div class="table-panel__scroll">
          <ng-container [ngTemplateOutlet]="table()" />
        </div>
        @if (position(); as at) {
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
  readonly error = input<string | null>(null);
  readonly loading = input(false);
  /** The first answer has arrived (rows may still be empty: the table then shows its own "no rows" line). */
  readonly ready = input.required<boolean>();
  /** Set for a server-paged list; without it there is no paginator. */
  readonly position = input<TablePagePosition | null | undefined>(undefined);
  readonly pageSizes = input<readonly number[]>([]);
  readonly paginatorTestId = input<string | null>(null);

  readonly retry = output();
  readonly page = output<PageEvent>();

  protected readonly table = contentChild.required(TemplateRef);
  protected readonly label = computed(() => {
    const noun = this.noun();
    return noun.charAt(0).toUpperCase() + noun.slice(1);
  });
}
