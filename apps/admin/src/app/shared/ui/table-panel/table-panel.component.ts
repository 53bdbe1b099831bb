import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  contentChild,
  contentChildren,
  inject,
  input,
  LOCALE_ID,
  output,
  ViewEncapsulation,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSlideToggleModule, type MatSlideToggleChange } from '@angular/material/slide-toggle';
import { MatTableModule } from '@angular/material/table';

import type { ListPage } from '../../data/list-page';
import type { Page } from '../../data/page';
import type { ReloadableQuery } from '../../data/reloadable-query';
import { ErrorStateComponent } from '../error-state/error-state.component';
import { ShortIdComponent } from '../short-id/short-id.component';
import { StatusChipComponent } from '../status-chip/status-chip.component';
import {
  AttributesDirective,
  TableCellDirective,
  TableRowDetailDirective,
  type TableAction,
  type TableColumn,
  type TableToggle,
} from './table-columns';

/**
 * A table's fixed description, declared once as a typed constant in the page and given to
 * `<sah-table-panel [spec]>`: what the rows are called, the columns, the test ids and empty lines.
 */
export interface TableSpec<Row = never> {
  /** What the rows are, lower-case and plural ("promo codes"): names the region, the loaders and the pages. */
  readonly noun: string;
  readonly columns: readonly TableColumn<Row>[];
  /** The keys of the columns a narrow screen shows (`<sah-table-panel [narrow]>`), in order; all by default. */
  readonly narrowColumns?: readonly string[];
  /** Names the `data-testid`s of the table, its empty line and its paginator: `users` → `users-table`, `users-empty`, `users-paginator`. */
  readonly testIdPrefix: string;
  /** The rows' `data-testid`: `<testIdPrefix>-row` by default. */
  readonly rowTestId?: string;
  /** Attributes of each row (`data-*`), for tests and styles. */
  readonly rowAttributes?: (row: Row) => Readonly<Record<string, string | null | undefined>>;
  /** Rows that open something: each is focusable, named by this, and emits `rowActivated`. */
  readonly rowLabel?: (row: Row) => string;
  /** Rows greyed out (revoked, disabled). */
  readonly rowMuted?: (row: Row) => boolean;
  /** Rows keep their element across reloads when tracked (a click landing on a row being replaced is not lost). */
  readonly trackBy?: (index: number, row: Row) => unknown;
  /** The empty line: with no filters set, and with some (by default "No {noun} match these filters."). */
  readonly emptyText?: string;
  readonly filteredEmptyText?: string;
}

/** A whole list (`reloadableQuery`). */
export type TableQuery = Pick<ReloadableQuery<readonly unknown[]>, 'value' | 'loading' | 'error' | 'reload'>;

/**
 * The frame every data table in the console sits in: the error state with a retry, a spinner
 * before the first answer, then an outlined panel with a progress bar while reloading (the rows
 * stay on screen), a horizontally scrolling table (with a line under its headers when it has no rows) and,
 * for server-paged lists, the paginator.
 *
 * The table is described by data (`TableSpec`, with its columns: see `TableColumn`), with
 * `<ng-template sahCell="key" let-row>` for the cells that need markup; the rows are those of a
 * whole list's `query`, of a server-paged list page's `list`, or `rows` the page shows as they are:
 *
 * ```html
 * <sah-table-panel [spec]="table" [query]="endpoints" [narrow]="isNarrow()">
 *   <ng-template sahCell="status" let-hook><sah-status-chip [status]="hook.status" [tones]="TONES" /></ng-template>
 * </sah-table-panel>
 * ```
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
    MatSlideToggleModule,
    MatTableModule,
    ErrorStateComponent,
    ShortIdComponent,
    StatusChipComponent,
    AttributesDirective,
  ],
  template: `
    @if (shownError(); as message) {
      <sah-error-state [message]="message" (retry)="anyQuery()?.reload()" />
    } @else if (answered()) {
      <section class="table-panel" [attr.aria-label]="label()" [attr.aria-busy]="busy()">
        <div class="table-panel__progress">
          @if (busy()) {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Loading ' + view().noun" />
          }
        </div>
        <div class="table-panel__scroll">
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
                    <sah-status-chip
                      [status]="chip.label"
                      [tones]="chip.tone ?? 'good'"
                      [attr.data-testid]="column.chipTestId"
                    />
                    @if (column.chipNote?.(row); as note) {
                      <span class="list-meta">{{ note }}</span>
                    }
                  } @else if (column.shortId) {
                    @let id = column.shortId(row);
                    @if (id) {
                      <sah-short-id [id]="id" [userLink]="column.userLink?.() ?? false" />
                    } @else {
                      <span class="table-panel__none">{{ column.cell?.(row, locale) }}</span>
                    }
                  } @else if (column.toggle; as toggle) {
                    <mat-slide-toggle
                      [checked]="toggle.checked(row)"
                      [disabled]="toggle.disabled?.(row) ?? false"
                      (change)="toggled(toggle, row, $event)"
                      (click)="$event.stopPropagation()"
                      [aria-label]="toggle.ariaLabel(row)"
                      [attr.data-testid]="toggle.testId"
                    />
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
                        } @else {
                          <button
                            [matButton]="action.appearance === 'flat' ? 'filled' : 'text'"
                            type="button"
                            [class.table-panel__destructive]="action.destructive && action.appearance !== 'flat'"
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
                    {{ column.cell?.(row, locale) }}
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
              [class.table-panel__row--muted]="!!view().rowMuted?.(row)"
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
        </div>
        @if (empty()) {
          <p class="table-panel__empty" role="status" [attr.data-testid]="view().emptyTestId">
            {{ list()?.hasFilters() ? view().filteredEmptyText : view().emptyText }}
          </p>
        }
        @if (position(); as at) {
          <mat-paginator
            [length]="at.total"
            [pageIndex]="at.page - 1"
            [pageSize]="at.perPage"
            [pageSizeOptions]="list()?.pageSizes ?? []"
            (page)="list()?.changePage($event)"
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
  // Not encapsulated: the pages' cell templates, projected in, use the column classes below.
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
    .table-panel__none,
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
  /** The table's fixed description: its noun, columns, test ids, empty lines and row behaviour. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly spec = input.required<TableSpec<any>>();
  /** A whole list's query: it gives the error, loading and empty states, and "Try again" reloads it. */
  readonly query = input<TableQuery | null>(null);
  /**
   * A server-paged list page whose filter lives in the URL (`listPage`): its query, page sizes and
   * whether a filter is set (which picks the empty line), and the paginator writes the page to the URL.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own filter and rows
  readonly list = input<ListPage<any, Page<unknown>> | null>(null);
  /** Rows the page loaded and checked itself (no query: no states, no empty line). */
  readonly rows = input<readonly unknown[] | null>(null);
  /** A narrow screen: only the spec's `narrowColumns`. */
  readonly narrow = input(false);
  /** The keys of the columns to show, in order, where they depend on more than the screen. */
  readonly shownColumns = input<readonly string[] | null>(null);
  /** Which rows show their details (`<ng-template sahRowDetail>`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page types its own rows
  readonly detailOpen = input<((row: any) => boolean) | null>(null);

  readonly rowActivated = output<unknown>();

  protected readonly locale = inject(LOCALE_ID);

  protected readonly view = computed(() => {
    const { testIdPrefix, ...spec } = this.spec();
    return {
      trackBy: (_index: number, row: unknown) => row,
      filteredEmptyText: `No ${spec.noun} match these filters.`,
      rowTestId: `${testIdPrefix}-row`,
      ...spec,
      tableTestId: `${testIdPrefix}-table`,
      emptyTestId: `${testIdPrefix}-empty`,
      paginatorTestId: `${testIdPrefix}-paginator`,
    };
  });

  private readonly cells = contentChildren(TableCellDirective);
  protected readonly rowDetail = contentChild(TableRowDetailDirective);
  protected readonly cellTemplates = computed(() =>
    Object.fromEntries(this.cells().map((cell) => [cell.key(), cell.template])),
  );
  protected readonly shownKeys = computed(() => {
    const { columns, narrowColumns } = this.view();
    return (
      this.shownColumns() ??
      (this.narrow() && narrowColumns ? narrowColumns : columns.map((column) => column.key))
    );
  });
  protected readonly anyQuery = computed(() => this.list()?.query ?? this.query());
  protected readonly shownError = computed(() => this.anyQuery()?.error() ?? null);
  protected readonly busy = computed(() => this.anyQuery()?.loading() ?? false);
  private readonly answer = computed(() => {
    const list = this.list();
    if (list) return list.query.page()?.items ?? null;
    return this.query()?.value() ?? this.rows();
  });
  protected readonly shownRows = computed(() => this.answer() ?? []);
  /** The first answer has arrived. */
  protected readonly answered = computed(() => this.answer() !== null);
  /** No rows to show: a line under the column headers says so (the paginator stays, to page back). */
  protected readonly empty = computed(() => this.anyQuery() !== null && this.answer()?.length === 0);
  protected readonly position = computed(() => this.list()?.query.page()?.pageInfo ?? null);
  protected readonly label = computed(() => {
    const noun = this.view().noun;
    return noun.charAt(0).toUpperCase() + noun.slice(1);
  });

  /** An action's click is not the row's (a row that opens something stays put). */
  protected runAction(action: TableAction<unknown>, row: unknown, event: Event): void {
    event.stopPropagation();
    action.run(row);
  }

  protected toggled(toggle: TableToggle<unknown>, row: unknown, change: MatSlideToggleChange): void {
    toggle.change(row, change.checked, () => (change.source.checked = !change.checked));
  }

  protected activate(row: unknown): void {
    if (this.view().rowLabel) this.rowActivated.emit(row);
  }
}
