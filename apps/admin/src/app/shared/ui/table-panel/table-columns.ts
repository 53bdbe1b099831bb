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
}

/** Where a row's cell for column `sahCell` comes from markup: `<ng-template sahCell="status" let-payment>…`. */
@Directive({ selector: 'ng-template[sahCell]' })
export class TableCellDirective {
  readonly key = input.required<string>({ alias: 'sahCell' });
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
