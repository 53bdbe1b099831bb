import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { PageEvent } from '@angular/material/paginator';

import { TablePanelComponent, type TablePagePosition } from './table-panel.component';

@Component({
  imports: [TablePanelComponent],
  template: `
    <sah-table-panel
      noun="promo codes"
      [error]="error()"
      [loading]="loading()"
      [ready]="ready()"
      [position]="position()"
      [pageSizes]="[10, 20]"
      paginatorTestId="pages"
      (page)="paged.push($event)"
      (retry)="retries = retries + 1"
    >
      <ng-template><table data-testid="projected"></table></ng-template>
    </sah-table-panel>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly error = signal<string | null>(null);
  readonly loading = signal(true);
  readonly ready = signal(false);
  readonly position = signal<TablePagePosition | undefined>(undefined);
  readonly paged: PageEvent[] = [];
  retries = 0;
}

describe('TablePanelComponent', () => {
  function render() {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    return { fixture, host: fixture.componentInstance, root };
  }

  it('shows a spinner until the first answer, then the projected table in a labelled panel', () => {
    const { fixture, host, root } = render();
    expect(root.querySelector('mat-progress-spinner')?.getAttribute('aria-label')).toBe('Loading promo codes');
    expect(root.querySelector('[data-testid="projected"]')).toBeNull();

    host.ready.set(true);
    fixture.detectChanges();
    const panel = root.querySelector('section.table-panel');
    expect(panel?.getAttribute('aria-label')).toBe('Promo codes');
    expect(panel?.getAttribute('aria-busy')).toBe('true');
    expect(panel?.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Loading promo codes');
    expect(panel?.querySelector('.table-panel__scroll > [data-testid="projected"]')).not.toBeNull();
    expect(root.querySelector('mat-paginator')).toBeNull();

    host.loading.set(false);
    fixture.detectChanges();
    expect(panel?.getAttribute('aria-busy')).toBe('false');
    expect(panel?.querySelector('mat-progress-bar')).toBeNull();
  });

  it('pages a server-paged list through the paginator', () => {
    const { fixture, host, root } = render();
    host.ready.set(true);
    host.position.set({ page: 1, perPage: 10, total: 25 });
    fixture.detectChanges();

    const paginator = root.querySelector('mat-paginator');
    expect(paginator?.getAttribute('aria-label')).toBe('Pages of promo codes');
    expect(paginator?.getAttribute('data-testid')).toBe('pages');
    root.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')?.click();
    expect(host.paged.map((event) => event.pageIndex)).toEqual([1]);
  });

  it('replaces the table with the error and its retry', () => {
    const { fixture, host, root } = render();
    host.ready.set(true);
    host.error.set('The server is unreachable.');
    fixture.detectChanges();

    expect(root.querySelector('[data-testid="projected"]')).toBeNull();
    expect(root.querySelector('[data-testid="error-state"]')?.textContent).toContain('The server is unreachable.');
    root.querySelector<HTMLButtonElement>('[data-testid="error-retry"]')?.click();
    expect(host.retries).toBe(1);
  });
});
