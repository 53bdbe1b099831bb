import { formatDate } from '@angular/common';
import { Directive, effect, ElementRef, inject, input, Renderer2, TemplateRef } from '@angular/core';

import type { StatusTone } from '../status-chip/status-chip.component';

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
  /** The cell's text, formatted in the app's `locale` (which the panel passes). */
  readonly cell?: (row: Row, locale: string) => string | number | null | undefined;
  /** Class of the header and the cells (alignment, width). */
  readonly class?: string;
  /** `data-testid` of each cell. */
  readonly testId?: string;
  /** The cell as a status chip (`<sah-status-chip>`, with its tone) instead of text. */
  readonly chip?: (row: Row) => TableChip;
  /** `data-testid` of the chip. */
  readonly chipTestId?: string;
  /** A short line beside the chip where the row has one (why a delivery failed, say). */
  readonly chipNote?: (row: Row) => string | number | null | undefined;
  /**
   * The cell as an id cut short (`<sah-short-id>`), linking to the user's page while `userLink`
   * says so; without an id, `cell`'s text, muted.
   */
  readonly shortId?: (row: Row) => string | null | undefined;
  readonly userLink?: () => boolean;
  /** The cell as buttons, one per action the row offers (an actions column). */
  readonly actions?: readonly TableAction<Row>[];
  /** The cell as a switch (`<mat-slide-toggle>`) for an on/off setting of the row. */
  readonly toggle?: TableToggle<Row>;
}

/** A row's on/off switch (see `ListActions.enabledSwitch`). */
export interface TableToggle<Row = never> {
  readonly checked: (row: Row) => boolean;
  /** Names the switch with the row for screen readers, e.g. `Disable Production`. */
  readonly ariaLabel: (row: Row) => string;
  readonly testId?: string;
  readonly disabled?: (row: Row) => boolean;
  /** The user moved it to `checked`; `revert` puts it back (the change was refused). */
  readonly change: (row: Row, checked: boolean, revert: () => void) => void;
}

/** A status chip's words and tone (`statusLook` gives both from a status), good by default. */
export interface TableChip {
  readonly label: string;
  readonly tone?: StatusTone | null;
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

/**
 * A table's last column: the row's buttons (`actions`; none when the page's `sahCell="actions"`
 * template draws them), with a header for screen readers only.
 */
export function actionsColumn<Row>(...actions: TableAction<Row>[]): TableColumn<Row> {
  return {
    key: 'actions',
    header: 'Actions',
    hiddenHeader: true,
    class: 'table-panel__actions',
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/** When something happened to the row: date and time, the shorter form on a narrow screen (`narrow`). */
export function timeColumn<Row>(
  key: string,
  header: string,
  time: (row: Row) => string,
  narrow: () => boolean,
): TableColumn<Row> {
  return {
    key,
    header,
    cell: (row, locale) => formatDate(time(row), narrow() ? 'short' : 'medium', locale),
    class: 'table-panel__nowrap',
  };
}

/** The user the row belongs to: the id cut short, linking to the user's page. */
export function userColumn<Row>(key: string, header: string, userId: (row: Row) => string): TableColumn<Row> {
  return { key, header, shortId: userId, userLink: () => true };
}

/** Who did it: a user's id cut short (linking to the user's page where `canOpen` says so), or "system". */
export function actorColumn<Row>(
  key: string,
  actorId: (row: Row) => string | null | undefined,
  canOpen: () => boolean,
): TableColumn<Row> {
  return { key, header: 'Actor', shortId: actorId, userLink: canOpen, cell: () => 'system' };
}

/** When the row was created (`timeColumn`). */
export function createdColumn<Row extends { readonly createdAt: string }>(narrow: () => boolean): TableColumn<Row> {
  return timeColumn('createdAt', 'Created', (row) => row.createdAt, narrow);
}

/**
 * The last two columns of an editable catalogue (models, media models): enabled or disabled as a
 * chip (`<prefix>-status`), and an edit button named by the row's id (`<prefix>-edit`).
 */
export function catalogueColumns<Row extends { readonly id: string; readonly enabled: boolean }>(
  testIdPrefix: string,
  edit: (row: Row) => void,
): readonly TableColumn<Row>[] {
  return [
    {
      key: 'status',
      header: 'Status',
      chip: (row) => (row.enabled ? { label: 'Enabled' } : { label: 'Disabled', tone: 'muted' }),
      chipTestId: `${testIdPrefix}-status`,
    },
    actionsColumn({
      label: 'Edit',
      icon: 'edit',
      ariaLabel: (row) => `Edit ${row.id}`,
      testId: `${testIdPrefix}-edit`,
      run: edit,
    }),
  ];
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
