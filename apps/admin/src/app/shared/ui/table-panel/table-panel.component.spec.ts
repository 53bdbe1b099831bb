import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { PageEvent } from '@angular/material/paginator';
import { provideRouter } from '@angular/router';

import type { ListPage, Paging } from '../../data/list-page';
import type { Page } from '../../data/page';
import { TableCellDirective, TableRowDetailDirective } from './table-columns';
import { TablePanelComponent, type TableSpec } from './table-panel.component';

interface Row {
  readonly id: string;
  readonly credits: number;
}

const ROWS: readonly Row[] = [
  { id: 'a', credits: 1 },
  { id: 'b', credits: 7 },
];

/** A whole list, described as data: text cells from functions, one cell from the page's markup. */
@Component({
  imports: [TablePanelComponent, TableCellDirective],
  template: `
    <sah-table-panel [spec]="table" [query]="query" [narrow]="narrow()" [shownColumns]="shown()">
      <ng-template sahCell="actions" let-row
        ><button type="button">Open {{ row.id }}</button></ng-template
      >
    </sah-table-panel>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class QueryHostComponent {
  readonly table: TableSpec<Row> = {
    noun: 'promo codes',
    columns: [
      { key: 'id', header: 'ID', cell: (row) => row.id, testId: 'row-id' },
      { key: 'credits', header: 'Credits', cell: (row) => row.credits * 2, class: 'table-panel__number' },
      { key: 'actions', header: 'Actions', hiddenHeader: true },
    ],
    narrowColumns: ['id', 'actions'],
    testIdPrefix: 'rows',
    rowTestId: 'row',
    rowAttributes: (row) => ({ 'data-id': row.id, 'data-rich': row.credits > 5 ? 'true' : null }),
    emptyText: 'There are no promo codes yet.',
  };
  readonly narrow = signal(false);
  readonly shown = signal<readonly string[] | null>(null);
  retries = 0;
  readonly query = {
    value: signal<readonly Row[] | null>(null),
    loading: signal(true),
    error: signal<string | null>(null),
    reload: () => this.retries++,
  };
}

/** A server-paged list page: paginator, and an empty line that depends on the filters. */
@Component({
  imports: [TablePanelComponent],
  template: `<sah-table-panel [spec]="table" [list]="list" />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class ListHostComponent {
  readonly table: TableSpec<Row> = {
    noun: 'rows',
    columns: [{ key: 'id', header: 'ID', cell: (row) => row.id }],
    testIdPrefix: 'rows',
    emptyText: 'No rows yet.',
  };
  readonly paged: PageEvent[] = [];
  readonly page = signal<Page<Row> | null>(null);
  readonly hasFilters = signal(false);
  readonly list = {
    query: { page: this.page, loading: signal(false), error: signal(null), reload: () => undefined },
    hasFilters: this.hasFilters,
    pageSizes: [10, 20],
    changePage: (event: PageEvent) => this.paged.push(event),
  } as unknown as ListPage<Paging, Page<Row>>;
}

/** Rows the page shows as they are: status chips, action buttons, rows that open, details, muted rows. */
@Component({
  imports: [TablePanelComponent, TableRowDetailDirective],
  template: `
    <sah-table-panel [spec]="table" [rows]="rows" (rowActivated)="opened.push($any($event).id)" [detailOpen]="isOpen">
      <ng-template sahRowDetail let-row
        ><p data-testid="detail">Details of {{ row.id }}</p></ng-template
      >
    </sah-table-panel>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class RowsHostComponent {
  readonly isOpen = (row: Row) => row.id === 'b';
  readonly rows = ROWS;
  readonly opened: string[] = [];
  readonly ran: string[] = [];
  readonly table: TableSpec<Row> = {
    noun: 'rows',
    columns: [
      {
        key: 'status',
        header: 'Status',
        chip: (row) => (row.credits > 5 ? { label: 'Rich', tone: 'bad' } : { label: 'Poor', tone: 'muted' }),
        chipTestId: 'chip',
        chipNote: (row) => (row.credits > 5 ? null : `${5 - row.credits} short`),
      },
      { key: 'owner', header: 'Owner', shortId: (row) => `${row.id}2345678-9abc`, userLink: () => true },
      {
        key: 'actions',
        header: 'Actions',
        hiddenHeader: true,
        actions: [
          {
            label: 'Edit',
            icon: 'edit',
            ariaLabel: (row) => `Edit ${row.id}`,
            testId: 'edit',
            run: (row) => this.ran.push(`edit ${row.id}`),
          },
          {
            label: 'Delete',
            destructive: true,
            ariaLabel: (row) => `Delete ${row.id}`,
            testId: 'delete',
            shown: (row) => row.credits > 5,
            disabled: (row) => row.id === 'x',
            run: (row) => this.ran.push(`delete ${row.id}`),
          },
        ],
      },
    ],
    testIdPrefix: 'rows',
    rowTestId: 'row',
    rowLabel: (row) => `Open ${row.id}`,
    rowMuted: (row) => row.credits < 5,
  };
}

describe('TablePanelComponent', () => {
  function renderQuery() {
    const fixture = TestBed.createComponent(QueryHostComponent);
    fixture.detectChanges();
    const host = fixture.componentInstance;
    return { fixture, host, query: host.query, root: fixture.nativeElement as HTMLElement };
  }

  function renderList() {
    const fixture = TestBed.createComponent(ListHostComponent);
    fixture.detectChanges();
    return { fixture, host: fixture.componentInstance, root: fixture.nativeElement as HTMLElement };
  }

  it('shows a spinner until the first answer, then the table in a labelled panel', () => {
    const { fixture, query, root } = renderQuery();
    expect(root.querySelector('mat-progress-spinner')?.getAttribute('aria-label')).toBe('Loading promo codes');
    expect(root.querySelector('table')).toBeNull();

    query.value.set(ROWS);
    fixture.detectChanges();
    const panel = root.querySelector('section.table-panel');
    expect(panel?.getAttribute('aria-label')).toBe('Promo codes');
    expect(panel?.getAttribute('aria-busy')).toBe('true');
    expect(panel?.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Loading promo codes');
    expect(panel?.querySelector('.table-panel__scroll > table[data-testid="rows-table"]')).not.toBeNull();
    expect(root.querySelector('mat-paginator')).toBeNull();

    query.loading.set(false);
    fixture.detectChanges();
    expect(panel?.getAttribute('aria-busy')).toBe('false');
    expect(panel?.querySelector('mat-progress-bar')).toBeNull();
  });

  it('renders the columns: headers, text cells, the page’s cell templates and row attributes', () => {
    const { fixture, query, root } = renderQuery();
    query.value.set(ROWS);
    query.loading.set(false);
    fixture.detectChanges();
    const headers = [...root.querySelectorAll('th')];
    expect(headers.map((th) => th.textContent?.trim())).toEqual(['ID', 'Credits', 'Actions']);
    expect(headers[2].querySelector('.visually-hidden')).not.toBeNull();

    const rows = [...root.querySelectorAll<HTMLElement>('tr[data-testid="row"]')];
    expect(rows.map((row) => [row.dataset['id'], row.dataset['rich'] ?? null])).toEqual([
      ['a', null],
      ['b', 'true'],
    ]);
    expect([...root.querySelectorAll('[data-testid="row-id"]')].map((td) => td.textContent?.trim())).toEqual([
      'a',
      'b',
    ]);
    expect(rows[1].querySelector('td.table-panel__number')?.textContent?.trim()).toBe('14');
    expect(rows[1].querySelector('button')?.textContent?.trim()).toBe('Open b');
    expect(rows[1].getAttribute('tabindex')).toBeNull();
  });

  it('shows the narrow columns on a narrow screen, and the page’s choice over both', () => {
    const { fixture, host, query, root } = renderQuery();
    query.value.set(ROWS);
    fixture.detectChanges();
    const headers = () => [...root.querySelectorAll('th')].map((th) => th.textContent?.trim());

    host.narrow.set(true);
    fixture.detectChanges();
    expect(headers()).toEqual(['ID', 'Actions']);

    host.shown.set(['credits']);
    fixture.detectChanges();
    expect(headers()).toEqual(['Credits']);
  });

  it('says a whole list is empty under the table', () => {
    const { fixture, query, root } = renderQuery();
    query.value.set([]);
    fixture.detectChanges();
    expect(root.querySelector('table')).not.toBeNull();
    const empty = root.querySelector('[data-testid="rows-empty"]');
    expect(empty?.getAttribute('role')).toBe('status');
    expect(empty?.textContent?.trim()).toBe('There are no promo codes yet.');
  });

  it('replaces the table with the error, whose retry reloads the query', () => {
    const { fixture, host, query, root } = renderQuery();
    query.value.set(ROWS);
    query.error.set('The server is unreachable.');
    fixture.detectChanges();

    expect(root.querySelector('table')).toBeNull();
    expect(root.querySelector('[data-testid="error-state"]')?.textContent).toContain('The server is unreachable.');
    root.querySelector<HTMLButtonElement>('[data-testid="error-retry"]')?.click();
    expect(host.retries).toBe(1);
  });

  it('pages a server-paged list through the paginator, which writes the page to the list', () => {
    const { fixture, host, root } = renderList();
    host.page.set({ items: [{ id: 'a', credits: 1 }], pageInfo: { page: 1, perPage: 10, total: 25, totalPages: 3 } });
    fixture.detectChanges();

    // Without a rowTestId of its own, the rows are `<testIdPrefix>-row`.
    expect(root.querySelectorAll('tr[data-testid="rows-row"]')).toHaveLength(1);
    const paginator = root.querySelector('mat-paginator');
    expect(paginator?.getAttribute('aria-label')).toBe('Pages of rows');
    expect(paginator?.getAttribute('data-testid')).toBe('rows-paginator');
    root.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')?.click();
    expect(host.paged.map((event) => event.pageIndex)).toEqual([1]);
  });

  it('words a list page’s empty line after its filters', () => {
    const { fixture, host, root } = renderList();
    host.page.set({ items: [], pageInfo: { page: 1, perPage: 10, total: 0, totalPages: 0 } });
    fixture.detectChanges();
    const empty = () => root.querySelector('[data-testid="rows-empty"]')?.textContent?.trim();
    expect(empty()).toBe('No rows yet.');

    host.hasFilters.set(true);
    fixture.detectChanges();
    expect(empty()).toBe('No rows match these filters.');
    expect(root.querySelector('mat-paginator')).not.toBeNull();
  });

  it('renders status chips, short ids, action buttons, muted rows, rows that open on click or Enter, and their details', () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const fixture = TestBed.createComponent(RowsHostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const host = fixture.componentInstance;
    expect(root.querySelector('mat-progress-spinner')).toBeNull();
    const chips = [...root.querySelectorAll<HTMLElement>('[data-testid="chip"]')];
    expect(chips.map((chip) => [chip.textContent?.trim(), chip.className])).toEqual([
      ['Poor', 'status-chip status-chip--muted'],
      ['Rich', 'status-chip status-chip--bad'],
    ]);
    // The note beside a chip, only where the row has one.
    expect(chips.map((chip) => chip.parentElement?.querySelector('.list-meta')?.textContent ?? null)).toEqual([
      '4 short',
      null,
    ]);

    const owner = root.querySelector('sah-short-id a.list-id');
    expect([owner?.textContent, owner?.getAttribute('href')]).toEqual(['a2345678…', '/users/a2345678-9abc']);

    const rows = [...root.querySelectorAll<HTMLElement>('tr[data-testid="row"]')];
    expect(rows.map((row) => row.classList.contains('table-panel__row--muted'))).toEqual([true, false]);
    expect(rows[0].querySelector('[data-testid="delete"]')).toBeNull();
    const edit = rows[0].querySelector<HTMLButtonElement>('[data-testid="edit"]');
    expect(edit?.getAttribute('aria-label')).toBe('Edit a');
    expect(edit?.querySelector('mat-icon')?.textContent?.trim()).toBe('edit');
    const remove = rows[1].querySelector<HTMLButtonElement>('[data-testid="delete"]');
    expect(remove?.classList.contains('table-panel__destructive')).toBe(true);
    expect(remove?.textContent?.trim()).toBe('Delete');
    edit?.click();
    remove?.click();
    expect(host.ran).toEqual(['edit a', 'delete b']);

    expect(rows[1].getAttribute('tabindex')).toBe('0');
    expect(rows[1].getAttribute('aria-label')).toBe('Open b');
    expect(host.opened).toEqual([]);
    rows[0].click();
    rows[1].dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(host.opened).toEqual(['a', 'b']);

    const details = [...root.querySelectorAll<HTMLElement>('tr.table-panel__detail-row')];
    expect(details.map((row) => row.classList.contains('table-panel__detail-row--open'))).toEqual([false, true]);
    expect([...root.querySelectorAll('[data-testid="detail"]')].map((p) => p.textContent)).toEqual([
      'Details of b',
    ]);
    expect(details[1].querySelector('td')?.getAttribute('colspan')).toBe('3');
    expect(rows[1].classList.contains('table-panel__row--open')).toBe(true);
    expect(root.querySelector('[data-testid="rows-empty"]')).toBeNull();
  });
});
