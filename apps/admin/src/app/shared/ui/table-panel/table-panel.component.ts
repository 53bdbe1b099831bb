import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  contentChild,
  contentChildren,
  input,
  output,
  TemplateRef,
  ViewEncapsulation,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTableModule } from '@angular/material/table';

import type { ListPage } from '../../data/list-page';
import type { Page } from '../../data/page';
import type { PagedQuery } from '../../data/paged-query';
import type { ReloadableQuery } from '../../data/reloadable-query';
import { ErrorStateComponent } from '../error-state/error-state.component';
import {
  AttributesDirective,
  TableCellDirective,
  TableRowDetailDirective,
  type TableAction,
  type TableColumn,
} from './table-columns';

/** Where a server-paged list stands; the paginator shows it (1-based page, as the API answers). */
export interface TablePagePosition {
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
}

/**
 * A table's fixed description, declared once as a typed constant in the page and given to
 * `<sah-table-panel [spec]>`: what the rows are called, the columns, the test ids and empty lines.
 */
export interface TableSpec<Row = never> {
  /** What the rows are, lower-case and plural ("promo codes"): names the region, the loaders and the pages. */
  readonly noun: string;
  readonly columns?: readonly TableColumn<Row>[];
  /** Names the `data-testid`s of the table, its empty line and its paginator: `users` → `users-table`, `users-empty`, `users-paginator`. */
  readonly testIdPrefix?: string;
  readonly rowTestId?: string | null;
  /** Attributes of each row (`data-*`), for tests and styles. */
  readonly rowAttributes?: ((row: Row) => Readonly<Record<string, string | null | undefined>>) | null;
  /** Rows that open something: each is focusable, named by this, and emits `rowActivated`. */
  readonly rowLabel?: ((row: Row) => string) | null;
  readonly trackBy?: (index: number, row: Row) => unknown;
  /** The empty line: with no filters set, and with some. */
  readonly emptyText?: string;
  readonly filteredEmptyText?: string;
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
 * The table is described by data where its cells are mostly text: `columns` (see `TableColumn`),
 * with `<ng-template sahCell="key" let-row>` for the cells that need markup; the rows are the
 * query's. Stable API for new list pages:
 *
 * ```html
 * <sah-table-panel noun="webhooks" [query]="list" [columns]="columns" rowTestId="webhook-row"
 *                  [rowAttributes]="rowData" tableTestId="webhooks-table" emptyText="No webhooks yet." …>
 *   <ng-template sahCell="status" let-hook><span class="status-chip">{{ hook.status }}</span></ng-template>
 * </sah-table-panel>
 * ```
 *
 * A table that needs more (expanding rows, clickable rows) comes whole in a plain `<ng-template>`,
 * created only once there is something to show, with the page's own styles and bindings:
 * `<sah-table-panel …><ng-template><table mat-table …>…</table></ng-template></sah-table-panel>`.
 */
@Component({
  selector: 'sah-table-panel',
  imports: [
    NgTemplateOutlet,
    MatButtonModule,
    MatIconModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    MatTableModule,
    ErrorStateComponent,
    AttributesDirective,
  ],
  template: `
    @if (shownError(); as message) {
      <sah-error-state [message]="message" (retry)="retryLoad()" />
    } @else if (answered()) {
      <section class="table-panel" [attr.aria-label]="label()" [attr.aria-busy]="busy()">
        <div class="table-panel__progress">
          @if (busy()) {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Loading ' + view().noun" />
          }
        </div>
        <div class="table-panel__scroll">
          @if (view().columns.length > 0) {
            <table
              mat-table
              [dataSource]="shownRows()"
              [trackBy]="view().trackBy"
              [multiTemplateDataRows]="!!rowDetail()"
              [attr.data-testid]="view().tableTestId"
            >
              @for (column of view().columns; track column.key) {
                <ng-container [matColumnDef]="column.key">
                  <th mat-header-cell *matHeaderCellDef [class]="column.class ?? ''">
                    @if (column.hiddenHeader) {
                      <span class="visually-hidden">{{ column.header }}</span>
                    } @else {
                      {{ column.header }}
                    }
                  </th>
                  <td
                    mat-cell
                    *matCellDef="let row"
                    [class]="column.class ?? ''"
                    [attr.data-testid]="column.testId"
                  >
                    @if (cellTemplates()[column.key]; as template) {
                      <ng-container
                        [ngTemplateOutlet]="template"
                        [ngTemplateOutletContext]="{ $implicit: row }"
                      />
                    } @else if (column.chip) {
                      @let chip = column.chip(row);
                      <span
                        class="status-chip"
                        [class.status-chip--bad]="chip.tone === 'bad'"
                        [class.status-chip--muted]="chip.tone === 'muted'"
                        [attr.data-testid]="column.chipTestId"
                        >{{ chip.label }}</span
                      >
                    } @else if (column.actions) {
                      @for (action of column.actions; track $index) {
                        @if (!action.shown || action.shown(row)) {
                          @if (action.icon) {
                            <button
                              mat-icon-button
                              type="button"
                              [class.table-panel__destructive]="action.destructive"
                              (click)="runAction(action, row, $event)"
                              [disabled]="action.disabled?.(row) ?? false"
                              [attr.aria-label]="action.ariaLabel?.(row) ?? null"
                              [attr.data-testid]="action.testId"
                            >
                              <mat-icon>{{ action.icon }}</mat-icon>
                            </button>
                          } @else if (action.appearance === 'flat') {
                            <button
                              mat-flat-button
                              type="button"
                              (click)="runAction(action, row, $event)"
                              [disabled]="action.disabled?.(row) ?? false"
                              [attr.aria-label]="action.ariaLabel?.(row) ?? null"
                              [attr.data-testid]="action.testId"
                            >
                              {{ action.label }}
                            </button>
                          } @else {
                            <button
                              mat-button
                              type="button"
                              [class.table-panel__destructive]="action.destructive"
                              (click)="runAction(action, row, $event)"
                              [disabled]="action.disabled?.(row) ?? false"
                              [attr.aria-label]="action.ariaLabel?.(row) ?? null"
                              [attr.data-testid]="action.testId"
                            >
                              {{ action.label }}
                            </button>
                          }
                        }
                      }
                    } @else {
                      {{ column.cell?.(row) }}
                    }
                  </td>
                </ng-container>
              }
              @if (rowDetail(); as detail) {
                <ng-container matColumnDef="table-panel-detail">
                  <td mat-cell *matCellDef="let row" [attr.colspan]="shownKeys().length">
                    @if (detailOpen()?.(row)) {
                      <ng-container
                        [ngTemplateOutlet]="detail.template"
                        [ngTemplateOutletContext]="{ $implicit: row }"
                      />
                    }
                  </td>
                </ng-container>
              }
              <tr mat-header-row *matHeaderRowDef="shownKeys()"></tr>
              <tr
                mat-row
                *matRowDef="let row; columns: shownKeys()"
                [class.table-panel__link-row]="!!view().rowLabel"
                [attr.tabindex]="view().rowLabel ? 0 : null"
                [attr.aria-label]="view().rowLabel?.(row) ?? null"
                (click)="activate(row)"
                (keydown.enter)="activate(row)"
                [class.table-panel__row--muted]="!!rowMuted()?.(row)"
                [class.table-panel__row--with-detail]="!!rowDetail()"
                [class.table-panel__row--open]="!!detailOpen()?.(row)"
                [attr.data-testid]="view().rowTestId"
                [sahAttributes]="view().rowAttributes?.(row)"
              ></tr>
              @if (rowDetail()) {
                <tr
                  mat-row
                  *matRowDef="let row; columns: ['table-panel-detail']"
                  class="table-panel__detail-row"
                  [class.table-panel__detail-row--open]="!!detailOpen()?.(row)"
                ></tr>
              }
            </table>
          } @else {
            <ng-container [ngTemplateOutlet]="table() ?? null" />
          }
        </div>
        @if (empty()) {
          <p class="table-panel__empty" role="status" [attr.data-testid]="view().emptyTestId">
            {{ shownFiltered() ? view().filteredEmptyText : view().emptyText }}
          </p>
        }
        @if (shownPosition(); as at) {
          <mat-paginator
            [length]="at.total"
            [pageIndex]="at.page - 1"
            [pageSize]="at.perPage"
            [pageSizeOptions]="shownPageSizes()"
            (page)="changePage($event)"
            [attr.aria-label]="'Pages of ' + view().noun"
            [attr.data-testid]="view().paginatorTestId"
          />
        }
      </section>
    } @else {
      <div class="table-panel__loading">
        <mat-progress-spinner
          mode="indeterminate"
          diameter="40"
          [attr.aria-label]="'Loading ' + view().noun"
        />
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
    /* Column classes for tables described as data (TableColumn.class). */
    .table-panel__number {
      text-align: end;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .table-panel__nowrap {
      white-space: nowrap;
    }
    .table-panel__wrap {
      overflow-wrap: anywhere;
    }
    .table-panel__actions {
      width: 1%;
      text-align: end;
      white-space: nowrap;
    }
    .table-panel__row--muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .table-panel__destructive:not(:disabled) {
      color: var(--mat-sys-error);
    }
    /* Rows that open something (rowLabel): a pointer, and a focus ring for the keyboard. */
    .table-panel__link-row {
      cursor: pointer;
    }
    .table-panel__link-row:hover,
    .table-panel__link-row:focus-visible {
      background: var(--mat-sys-surface-container-high);
    }
    .table-panel__link-row:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: -2px;
    }
    /* Expanding rows (sahRowDetail): the details read as part of their row. */
    .table-panel__row--with-detail td {
      border-bottom-width: 0;
    }
    .table-panel__row--open {
      background: var(--mat-sys-surface-container);
    }
    .table-panel__detail-row {
      height: 0;
    }
    .table-panel__detail-row td {
      padding: 0 16px;
    }
    .table-panel__detail-row--open td {
      padding-bottom: 16px;
      background: var(--mat-sys-surface-container);
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
  readonly noun = input('');
  /**
   * The list's query: a server-paged one (with paginator) or a whole list. It gives the error, the
   * loading and empty states and the position, and "Try again" reloads it. Lists loaded some other
   * way set `error`, `loading`, `ready` and `position` themselves and handle `retry`.
   */
  readonly query = input<TableQuery | null>(null);
  /**
   * A list page whose filter lives in the URL (`listPage`): its query, page sizes and whether a
   * filter is set, and the paginator writes the page to the URL. Takes the place of `query`,
   * `pageSizes`, `filtered` and `(page)`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own filter and rows
  readonly list = input<ListPage<any, Page<unknown>> | null>(null);
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

  /** The table described as data; without it the page projects its own table (see above). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly columns = input<readonly TableColumn<any>[]>([]);
  /** The keys of the columns to show, in order (e.g. fewer on a narrow screen); all by default. */
  readonly shownColumns = input<readonly string[] | null>(null);
  /** The rows when there is no query (with the query: its page's items or its list). */
  readonly rows = input<readonly unknown[] | null>(null);
  readonly tableTestId = input<string | null>(null);
  readonly rowTestId = input<string | null>(null);
  /** Attributes of each row (`data-*`), for tests and styles. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly rowAttributes = input<((row: any) => Readonly<Record<string, string | null | undefined>>) | null>(
    null,
  );
  /** Rows that open something: each is focusable, named by this, and emits `rowActivated` on click or Enter. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly rowLabel = input<((row: any) => string) | null>(null);
  /** Rows keep their element across reloads when tracked (a click landing on a row being replaced is not lost). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly trackBy = input<(index: number, row: any) => unknown>((_index, row) => row);

  /**
   * The table's fixed description in one typed constant of the page (`TableSpec`): its noun, columns,
   * test ids, empty lines and row behaviour. What it sets takes the place of the inputs of the same names.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly spec = input<TableSpec<any> | null>(null);

  readonly page = output<PageEvent>();
  readonly retry = output();
  readonly rowActivated = output<unknown>();
  /** Rows greyed out (revoked, disabled). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly rowMuted = input<((row: any) => boolean) | null>(null);
  /** Which rows show their details (`<ng-template sahRowDetail>`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly detailOpen = input<((row: any) => boolean) | null>(null);

  /** The inputs, overridden by what `spec` sets. */
  protected readonly view = computed(() => {
    const { testIdPrefix, ...spec } = this.spec() ?? {};
    return {
      noun: this.noun(),
      columns: this.columns(),
      rowTestId: this.rowTestId(),
      rowAttributes: this.rowAttributes(),
      rowLabel: this.rowLabel(),
      trackBy: this.trackBy(),
      emptyText: this.emptyText(),
      filteredEmptyText: this.filteredEmptyText(),
      ...spec,
      tableTestId: testIdPrefix ? `${testIdPrefix}-table` : this.tableTestId(),
      emptyTestId: testIdPrefix ? `${testIdPrefix}-empty` : this.emptyTestId(),
      paginatorTestId: testIdPrefix ? `${testIdPrefix}-paginator` : this.paginatorTestId(),
    };
  });

  protected readonly table = contentChild(TemplateRef);
  private readonly cells = contentChildren(TableCellDirective);
  protected readonly rowDetail = contentChild(TableRowDetailDirective);
  protected readonly cellTemplates = computed(() =>
    Object.fromEntries(this.cells().map((cell) => [cell.key(), cell.template])),
  );
  protected readonly shownKeys = computed(
    () => this.shownColumns() ?? this.view().columns.map((column) => column.key),
  );
  private readonly anyQuery = computed<TableQuery | null>(() => this.list()?.query ?? this.query());
  protected readonly shownPageSizes = computed(() => this.list()?.pageSizes ?? this.pageSizes());
  protected readonly shownFiltered = computed(() => this.list()?.hasFilters() ?? this.filtered());
  protected readonly shownError = computed(() => this.anyQuery()?.error() ?? this.error());
  protected readonly busy = computed(() => this.anyQuery()?.loading() ?? this.loading());
  private readonly answer = computed(() => {
    const query = this.anyQuery();
    if (!query) return null;
    return 'page' in query ? query.page() : query.value();
  });
  protected readonly shownRows = computed(() => {
    const answer = this.answer();
    if (answer === null) return this.rows() ?? [];
    return 'items' in answer ? answer.items : answer;
  });
  /** The first answer has arrived. */
  protected readonly answered = computed(() => (this.anyQuery() ? this.answer() !== null : this.ready()));
  /** No rows to show: a line under the column headers says so (the paginator stays, to page back). */
  protected readonly empty = computed(() => {
    const answer = this.answer();
    return answer !== null && ('items' in answer ? answer.items : answer).length === 0;
  });
  protected readonly shownPosition = computed(() => {
    if (!this.anyQuery()) return this.position();
    const answer = this.answer();
    return answer && 'pageInfo' in answer ? answer.pageInfo : null;
  });
  protected readonly label = computed(() => {
    const noun = this.view().noun;
    return noun.charAt(0).toUpperCase() + noun.slice(1);
  });

  protected changePage(event: PageEvent): void {
    this.list()?.changePage(event);
    this.page.emit(event);
  }

  /** An action's click is not the row's (a row that opens something stays put). */
  protected runAction(action: TableAction<unknown>, row: unknown, event: Event): void {
    event.stopPropagation();
    action.run(row);
  }

  protected activate(row: unknown): void {
    if (this.view().rowLabel) this.rowActivated.emit(row);
  }

  protected retryLoad(): void {
    this.anyQuery()?.reload();
    this.retry.emit();
  }
}
