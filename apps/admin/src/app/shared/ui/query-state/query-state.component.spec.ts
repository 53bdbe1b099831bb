import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { QueryStateComponent } from './query-state.component';

@Component({
  imports: [QueryStateComponent],
  template: `
    <sah-query-state [query]="query" loadingLabel="Loading things">
      <p data-testid="content">{{ query.value() }}</p>
    </sah-query-state>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  retries = 0;
  readonly query = {
    value: signal<string | null>(null),
    loading: signal(true),
    error: signal<string | null>(null),
    reload: () => this.retries++,
  };
}

describe('QueryStateComponent', () => {
  it('shows a spinner, then the content under a progress bar while it loads again, and the error with a retry', () => {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const { query } = fixture.componentInstance;
    expect(root.querySelector('mat-progress-spinner')?.getAttribute('aria-label')).toBe('Loading things');
    expect(root.querySelector('[data-testid="content"]')).toBeNull();

    query.value.set('ten things');
    fixture.detectChanges();
    expect(root.querySelector('[data-testid="content"]')?.textContent).toBe('ten things');
    expect(root.querySelector('.query-state__progress')?.getAttribute('aria-busy')).toBe('true');
    expect(root.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Loading things');

    query.loading.set(false);
    fixture.detectChanges();
    expect(root.querySelector('mat-progress-bar')).toBeNull();

    query.error.set('The server is away.');
    fixture.detectChanges();
    expect(root.querySelector('[data-testid="content"]')).toBeNull();
    expect(root.textContent).toContain('The server is away.');
    root.querySelector<HTMLButtonElement>('sah-error-state button')?.click();
    expect(fixture.componentInstance.retries).toBe(1);
  });
});
