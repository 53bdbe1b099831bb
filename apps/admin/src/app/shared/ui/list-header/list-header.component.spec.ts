import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { ListHeaderComponent, type ListHeaderSecondaryAction } from './list-header.component';

@Component({
  imports: [ListHeaderComponent],
  template: `
    <sah-list-header [action]="primary" [secondary]="more" (run)="ran.push('primary')">
      <h1>Things</h1>
    </sah-list-header>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly ran: string[] = [];
  readonly mayBulk = signal(false);
  readonly exporting = signal(false);
  readonly primary = { label: 'New thing', icon: 'add', testId: 'new' };
  readonly more: readonly ListHeaderSecondaryAction[] = [
    { label: 'Bulk', icon: 'upload_file', testId: 'bulk', link: '/things/bulk', shown: this.mayBulk },
    {
      label: 'Export CSV',
      icon: 'download',
      testId: 'export',
      run: () => this.ran.push('export'),
      busy: this.exporting,
      busyLabel: 'Exporting',
    },
  ];
}

describe('ListHeaderComponent', () => {
  function render() {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const byTestId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    return { fixture, host: fixture.componentInstance, root, byTestId };
  }

  it('puts the primary action first (flat), then the secondary ones as stroked buttons and links', () => {
    const { fixture, host, root, byTestId } = render();
    expect(root.querySelector('h1')?.textContent).toBe('Things');
    expect(byTestId('new')?.classList.contains('mat-mdc-unelevated-button')).toBe(true);
    expect(byTestId('bulk')).toBeNull();

    host.mayBulk.set(true);
    fixture.detectChanges();
    const link = byTestId('bulk');
    expect(link?.tagName).toBe('A');
    expect(link?.getAttribute('href')).toBe('/things/bulk');
    expect(byTestId('export')?.classList.contains('mat-mdc-outlined-button')).toBe(true);

    byTestId('new')?.click();
    byTestId('export')?.click();
    expect(host.ran).toEqual(['primary', 'export']);
  });

  it('shows a busy secondary action with a named spinner and makes it wait', () => {
    const { fixture, host, byTestId } = render();
    host.exporting.set(true);
    fixture.detectChanges();

    const button = byTestId('export') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.querySelector('mat-progress-spinner')?.getAttribute('aria-label')).toBe('Exporting');
    expect(button.querySelector('mat-icon')).toBeNull();
  });
});
