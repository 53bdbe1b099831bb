import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { PageEvent } from '@angular/material/paginator';

import type { Page } from '../../data/page';
import { TableCellDirective, TableRowDetailDirective, type TableColumn } from './table-columns';
import { TablePanelComponent, type TableSpec } from './table-panel.component';

@Component({
  imports: [TablePanelComponent],
  template: `
    <sah-table-panel
      noun="promo codes"
      [query]="query"
      [pageSizes]="[10, 20]"
      paginatorTestId="pages"
      [filtered]="filtered()"
      emptyText="There are no promo codes yet."
      filteredEmptyText="No promo codes match these filters."
      emptyTestId="empty"
      (page)="paged.push($event)"
    >
      <ng-template><table data-testid="projected"></table></ng-template>
    </sah-table-panel>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly filtered = signal(false);
  readonly paged: PageEvent[] = [];
  retries = 0;
  readonly query = {
    page: signal<Page<unknown> | null>(null),
    loading: signal(true),
    error: signal<string | null>(null),
    reload: () => this.retries++,
  };
}

/** A list loaded some other way sets the states itself. */
@Component({
  imports: [TablePanelComponent],
  template: `
    <sah-table-panel noun="mails" [error]="error()" [ready]="true" (retry)="retries = retries + 1">
      <ng-template><table data-testid="projected"></table></ng-template>
    </sah-table-panel>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class ManualHostComponent {
  readonly error = signal<string | null>(null);
  retries = 0;
}

interface Row {
  readonly id: string;
  readonly credits: number;
}

/** A table described as data: text cells from functions, one cell from the page's markup. */
@Component({
  imports: [TablePanelComponent, TableCellDirective],
  template: `
    <sah-table-panel
      noun="rows"
      [query]="query"
      [columns]="columns"
      [shownColumns]="shown()"
      tableTestId="rows-table"
      rowTestId="row"
      [rowAttributes]="rowData"
    >
      <ng-template sahCell="actions" let-row
        ><button type="button">Open {{ row.id }}</button></ng-template
      >
    </sah-table-panel>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class ColumnsHostComponent {
  readonly columns: readonly TableColumn<Row>[] = [
    { key: 'id', header: 'ID', cell: (row) => row.id, testId: 'row-id' },
    { key: 'credits', header: 'Credits', cell: (row) => row.credits * 2, class: 'table-panel__number' },
    { key: 'actions', header: 'Actions', hiddenHeader: true },
  ];
  readonly shown = signal<readonly string[] | null>(null);
  readonly rowData = (row: Row) => ({ 'data-id': row.id, 'data-rich': row.credits > 5 ? 'true' : null });
  readonly query = {
    value: signal<readonly Row[] | null>([
      { id: 'a', credits: 1 },
      { id: 'b', credits: 7 },
    ]),
    loading: signal(false),
    error: signal<string | null>(null),
    reload: () => undefined,
  };
}

/** Status chips and action buttons from column definitions; rows that open something. */
@Component({
  imports: [TablePanelComponent, TableRowDetailDirective],
  template: `
    <sah-table-panel
      noun="rows"
      [rows]="rows"
      [ready]="true"
      [columns]="columns"
      rowTestId="row"
      [rowLabel]="rowLabel"
      (rowActivated)="opened.push($any($event).id)"
      [detailOpen]="isOpen"
    >
      <ng-template sahRowDetail let-row
        ><p data-testid="detail">Details of {{ row.id }}</p></ng-template
      >
    </sah-table-panel>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class ChipsAndActionsHostComponent {
  readonly isOpen = (row: Row) => row.id === 'b';
  readonly rows: readonly Row[] = [
    { id: 'a', credits: 1 },
    { id: 'b', credits: 7 },
  ];
  readonly opened: string[] = [];
  readonly ran: string[] = [];
  readonly columns: readonly TableColumn<Row>[] = [
    {
      key: 'status',
      header: 'Status',
      chip: (row) => (row.credits > 5 ? { label: 'Rich', tone: 'bad' } : { label: 'Poor', tone: 'muted' }),
      chipTestId: 'chip',
    },
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
  ];
  readonly rowLabel = (row: Row) => `Open ${row.id}`;
}

/** The table's fixed description as one typed constant of the page. */
@Component({
  imports: [TablePanelComponent],
  template: `<sah-table-panel [spec]="table" [query]="query" />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class SpecHostComponent {
  readonly table: TableSpec<Row> = {
    noun: 'rows',
    testIdPrefix: 'rows',
    rowTestId: 'row',
    columns: [{ key: 'id', header: 'ID', cell: (row) => row.id }],
    rowAttributes: (row) => ({ 'data-id': row.id }),
    emptyText: 'No rows yet.',
  };
  readonly query = {
    page: signal<Page<Row> | null>({
      items: [],
      pageInfo: { page: 1, perPage: 10, total: 0, totalPages: 0 },
    }),
    loading: signal(false),
    error: signal<string | null>(null),
    reload: () => undefined,
  };
}

const ONE_ROW = { page: 1, perPage: 10, total: 1, totalPages: 1 };

describe('TablePanelComponent', () => {
  function render() {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    return { fixture, host: fixture.componentInstance, query: fixture.componentInstance.query, root };
  }

  it('shows a spinner until the first answer, then the projected table in a labelled panel', () => {
    const { fixture, query, root } = render();
    expect(root.querySelector('mat-progress-spinner')?.getAttribute('aria-label')).toBe(
      'Loading promo codes',
    );
    expect(root.querySelector('[data-testid="projected"]')).toBeNull();

    query.page.set({ items: [{}], pageInfo: ONE_ROW });
    fixture.detectChanges();
    const panel = root.querySelector('section.table-panel');
    expect(panel?.getAttribute('aria-label')).toBe('Promo codes');
    expect(panel?.getAttribute('aria-busy')).toBe('true');
    expect(panel?.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Loading promo codes');
    expect(panel?.querySelector('.table-panel__scroll > [data-testid="projected"]')).not.toBeNull();

    query.loading.set(false);
    fixture.detectChanges();
    expect(panel?.getAttribute('aria-busy')).toBe('false');
    expect(panel?.querySelector('mat-progress-bar')).toBeNull();
  });

  it('pages a server-paged list through the paginator', () => {
    const { fixture, host, query, root } = render();
    query.page.set({ items: [{}], pageInfo: { page: 1, perPage: 10, total: 25, totalPages: 3 } });
    fixture.detectChanges();

    const paginator = root.querySelector('mat-paginator');
    expect(paginator?.getAttribute('aria-label')).toBe('Pages of promo codes');
    expect(paginator?.getAttribute('data-testid')).toBe('pages');
    root.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')?.click();
    expect(host.paged.map((event) => event.pageIndex)).toEqual([1]);
  });

  it('has no paginator for a whole list', () => {
    const fixture = TestBed.createComponent(HostComponent);
    const value = signal<readonly unknown[] | null>([{}]);
    Object.assign(fixture.componentInstance, {
      query: { value, loading: signal(false), error: signal(null), reload: () => undefined },
    });
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[data-testid="projected"]')).not.toBeNull();
    expect(root.querySelector('mat-paginator')).toBeNull();
  });

  it('says the list is empty under the table, in words that depend on the filters', () => {
    const { fixture, host, query, root } = render();
    query.page.set({ items: [], pageInfo: { ...ONE_ROW, total: 0 } });
    fixture.detectChanges();
    expect(root.querySelector('[data-testid="projected"]')).not.toBeNull();
    const empty = () => root.querySelector('[data-testid="empty"]');
    expect(empty()?.getAttribute('role')).toBe('status');
    expect(empty()?.textContent?.trim()).toBe('There are no promo codes yet.');

    host.filtered.set(true);
    fixture.detectChanges();
    expect(empty()?.textContent?.trim()).toBe('No promo codes match these filters.');
  });

  it('replaces the table with the error, whose retry reloads the query', () => {
    const { fixture, host, query, root } = render();
    query.page.set({ items: [{}], pageInfo: ONE_ROW });
    query.error.set('The server is unreachable.');
    fixture.detectChanges();

    expect(root.querySelector('[data-testid="projected"]')).toBeNull();
    expect(root.querySelector('[data-testid="error-state"]')?.textContent).toContain(
      'The server is unreachable.',
    );
    root.querySelector<HTMLButtonElement>('[data-testid="error-retry"]')?.click();
    expect(host.retries).toBe(1);
  });

  it('takes the states as inputs when there is no query', () => {
    const fixture = TestBed.createComponent(ManualHostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[data-testid="projected"]')).not.toBeNull();

    fixture.componentInstance.error.set('Refused.');
    fixture.detectChanges();
    root.querySelector<HTMLButtonElement>('[data-testid="error-retry"]')?.click();
    expect(fixture.componentInstance.retries).toBe(1);
  });

  it('renders columns described as data: headers, text cells, the page’s cell templates and row attributes', () => {
    const fixture = TestBed.createComponent(ColumnsHostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const table = root.querySelector('table[data-testid="rows-table"]');
    const headers = [...(table?.querySelectorAll('th') ?? [])];
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

    fixture.componentInstance.shown.set(['credits']);
    fixture.detectChanges();
    expect([...root.querySelectorAll('th')].map((th) => th.textContent?.trim())).toEqual(['Credits']);
  });

  it('renders status chips and action buttons from column definitions, and rows that open on click or Enter', () => {
    const fixture = TestBed.createComponent(ChipsAndActionsHostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const host = fixture.componentInstance;
    const chips = [...root.querySelectorAll<HTMLElement>('[data-testid="chip"]')];
    expect(chips.map((chip) => [chip.textContent?.trim(), chip.className])).toEqual([
      ['Poor', 'status-chip status-chip--muted'],
      ['Rich', 'status-chip status-chip--bad'],
    ]);

    const rows = [...root.querySelectorAll<HTMLElement>('tr[data-testid="row"]')];
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
    expect(details.map((row) => row.classList.contains('table-panel__detail-row--open'))).toEqual([
      false,
      true,
    ]);
    expect([...root.querySelectorAll('[data-testid="detail"]')].map((p) => p.textContent)).toEqual([
      'Details of b',
    ]);
    expect(details[1].querySelector('td')?.getAttribute('colspan')).toBe('2');
    expect(rows[1].classList.contains('table-panel__row--open')).toBe(true);
  });
  it('takes the noun, columns, test ids and empty line from one spec', () => {
    const fixture = TestBed.createComponent(SpecHostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('section.table-panel')?.getAttribute('aria-label')).toBe('Rows');
    expect(root.querySelector('table[data-testid="rows-table"] th')?.textContent?.trim()).toBe('ID');
    expect(root.querySelector('[data-testid="rows-empty"]')?.textContent?.trim()).toBe('No rows yet.');
    expect(root.querySelector('mat-paginator')?.getAttribute('data-testid')).toBe('rows-paginator');

    fixture.componentInstance.query.page.set({ items: [{ id: 'a', credits: 1 }], pageInfo: ONE_ROW });
    fixture.detectChanges();
    expect(root.querySelector<HTMLElement>('tr[data-testid="row"]')?.dataset['id']).toBe('a');
  });
});
