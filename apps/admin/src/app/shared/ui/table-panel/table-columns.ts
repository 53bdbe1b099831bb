import { Directive, effect, ElementRef, inject, input, Renderer2, TemplateRef } from '@angular/core';

/**
 * One column of a table described as data (see `TablePanelComponent`'s `columns`). Its cells show
 * `cell(row)` as text, or, where a cell needs markup (a link, a chip, a button), the page's
 * `<ng-template sahCell="key" let-row>` for the same key.
 */
export interface TableColumn<Row = never> {
  /** Names the column (`matColumnDef`) and its cell template. */
  readonly key: string;
  /** Header text; `hiddenHeader` keeps it for screen readers only (an actions column). */
  readonly header: string;
  readonly hiddenHeader?: boolean;
  readonly cell?: (row: Row) => string | number | null | undefined;
  /** Class of the header and the cells (alignment, width). */
  readonly class?: string;
  /** `data-testid` of each cell. */
  readonly testId?: string;
  /** The cell as a status chip (`status-chip`, with its tone) instead of text. */
  readonly chip?: (row: Row) => TableChip;
  /** `data-testid` of the chip. */
  readonly chipTestId?: string;
  /** The cell as buttons, one per action the row offers (an actions column). */
  readonly actions?: readonly TableAction<Row>[];
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

/** A status chip: `status-chip--bad`/`--muted` tones, plain (a good state) by default. */
export interface TableChip {
  readonly label: string;
  readonly tone?: 'bad' | 'muted' | null;
}

/** A button in a row's actions cell. */
export interface TableAction<Row = never> {
  /** The button's text, or its tooltip-free name when it shows `icon` only. */
  readonly label: string;
  /** An icon button (`mat-icon-button`) with this Material icon instead of a text button. */
  readonly icon?: string;
  /** `flat` for the row's main action; text buttons by default. */
  readonly appearance?: 'text' | 'flat';
  /** `destructive` colours it as an error (delete, revoke, deactivate). */
  readonly destructive?: boolean;
  /** Names it for screen readers with the row, e.g. `Delete ${key.label}`. */
  readonly ariaLabel?: (row: Row) => string;
  readonly testId?: string;
  /** Only for the rows this answers true for. */
  readonly shown?: (row: Row) => boolean;
  /** Disabled while the row is busy, say. */
  readonly disabled?: (row: Row) => boolean;
  readonly run: (row: Row) => void;
}

/** Where a row's cell for column `sahCell` comes from markup: `<ng-template sahCell="status" let-payment>…`. */
@Directive({ selector: 'ng-template[sahCell]' })
export class TableCellDirective {
  readonly key = input.required<string>({ alias: 'sahCell' });
  readonly template = inject<TemplateRef<{ $implicit: unknown }>>(TemplateRef);
}

/**
 * A row's details, shown in a full-width row under it while `detailOpen(row)` says so (an
 * expanding row): `<ng-template sahRowDetail let-entry>…</ng-template>`.
 */
@Directive({ selector: 'ng-template[sahRowDetail]' })
export class TableRowDetailDirective {
  readonly template = inject<TemplateRef<{ $implicit: unknown }>>(TemplateRef);
}

/** Sets a row's `data-*`/`data-testid` attributes from a map (`null` leaves one out). */
@Directive({ selector: '[sahAttributes]' })
export class AttributesDirective {
  readonly attributes = input<Readonly<Record<string, string | null | undefined>> | null | undefined>(null, {
    alias: 'sahAttributes',
  });

  constructor() {
    const element = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    const renderer = inject(Renderer2);
    effect(() => {
      for (const [name, value] of Object.entries(this.attributes() ?? {})) {
        if (value === null || value === undefined) renderer.removeAttribute(element, name);
        else renderer.setAttribute(element, name, value);
      }
    });
  }
}
