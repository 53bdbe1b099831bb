import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { FilterBarComponent } from './filter-bar.component';
import type { FilterField } from './filter-fields';

const FIELDS: readonly FilterField[] = [
  { kind: 'text', param: 'search', label: 'Search', search: true, maxLength: 50, testId: 'search' },
  {
    kind: 'text',
    param: 'actorId',
    label: 'Actor ID',
    maxLength: 40,
    valid: (value) => /^\d+$/.test(value),
    invalidMessage: 'Digits only',
    testId: 'actor',
  },
  {
    kind: 'choice',
    param: 'status',
    label: 'Status',
    anyLabel: 'Any status',
    options: [
      { value: 'open', label: 'Open' },
      { value: 'closed', label: 'Closed' },
    ],
    testId: 'status',
  },
  {
    kind: 'choice',
    param: 'types',
    label: 'Types',
    multiple: true,
    options: [
      { value: 'A', label: 'Type A' },
      { value: 'B', label: 'Type B' },
    ],
    testId: 'types',
  },
  { kind: 'dateRange', fromParam: 'from', toParam: 'to', label: 'Date range', testId: 'range' },
  { kind: 'toggle', param: 'flagged', label: 'Flagged only', testId: 'flagged' },
];

@Component({
  imports: [FilterBarComponent],
  template: `
    <sah-filter-bar
      label="Filter things"
      testIdPrefix="things"
      [fields]="fields"
      [extraParams]="['userId']"
      (cleared)="cleared = cleared + 1"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class PageComponent {
  readonly fields = FIELDS;
  cleared = 0;
}

describe('FilterBarComponent', () => {
  let harness: RouterTestingHarness;

  const root = () => harness.routeNativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string) =>
    root().querySelector<T>(`[data-testid="${id}"]`);
  const url = () => TestBed.inject(Router).url;

  async function type(testId: string, text: string): Promise<void> {
    const input = byTestId<HTMLInputElement>(testId);
    if (!input) throw new Error(`no ${testId}`);
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await harness.fixture.whenStable();
  }

  async function pick(testId: string, label: string): Promise<void> {
    byTestId(testId)?.querySelector<HTMLElement>('.mat-mdc-select-trigger')?.click();
    await harness.fixture.whenStable();
    [...document.querySelectorAll<HTMLElement>('mat-option')]
      .find((option) => option.textContent?.trim() === label)
      ?.click();
    await harness.fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([{ path: 'things', component: PageComponent }])] });
    harness = await RouterTestingHarness.create();
  });

  it('is a labelled search landmark with one control per field', async () => {
    await harness.navigateByUrl('/things', PageComponent);
    const bar = root().querySelector('[role="search"]');
    expect(bar?.getAttribute('aria-label')).toBe('Filter things');
    for (const id of ['search', 'actor', 'status', 'types', 'range', 'flagged']) expect(byTestId(id)).not.toBeNull();
    expect(byTestId<HTMLInputElement>('search')?.type).toBe('search');
    expect(byTestId('things-clear-filters')).toBeNull();
  });

  it('writes typed text after a pause, trimmed, leaving out values that are not valid yet', async () => {
    await harness.navigateByUrl('/things?page=3', PageComponent);
    await type('search', '  ann  ');
    await vi.waitFor(() => expect(url()).toBe('/things?search=ann'));

    await type('actor', '12x');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(url()).toBe('/things?search=ann');
    byTestId('actor')?.dispatchEvent(new Event('blur'));
    harness.fixture.detectChanges();
    expect(root().querySelector('mat-error')?.textContent).toContain('Digits only');

    await type('actor', '12');
    await vi.waitFor(() => expect(url()).toBe('/things?search=ann&actorId=12'));
  });

  it('writes choices at once, several as a comma-separated list, and the checkbox as true', async () => {
    await harness.navigateByUrl('/things', PageComponent);
    await pick('status', 'Closed');
    expect(url()).toBe('/things?status=closed');

    await pick('types', 'Type A');
    await pick('types', 'Type B');
    expect(url()).toBe('/things?status=closed&types=A,B');

    byTestId('flagged')?.querySelector('input')?.click();
    await harness.fixture.whenStable();
    expect(url()).toBe('/things?status=closed&types=A,B&flagged=true');
  });

  it('fills the fields from the URL, ignoring values that are not options', async () => {
    await harness.navigateByUrl(
      '/things?search=bob&status=open&types=B,Z&from=2026-03-01&to=2026-03-31&flagged=true',
      PageComponent,
    );
    await harness.fixture.whenStable();
    harness.fixture.detectChanges();
    expect(byTestId<HTMLInputElement>('search')?.value).toBe('bob');
    expect(byTestId('status')?.textContent).toContain('Open');
    expect(byTestId('types')?.textContent?.trim()).toBe('Type B');
    const [start, end] = [...(byTestId('range')?.querySelectorAll('input') ?? [])];
    expect(start.value).not.toBe('');
    expect(end.value).not.toBe('');
    expect(byTestId('flagged')?.querySelector('input')?.checked).toBe(true);

    // A URL change from outside (the back button) refills them; an unknown value shows nothing.
    await harness.navigateByUrl('/things?search=carol&status=bogus', PageComponent);
    await harness.fixture.whenStable();
    harness.fixture.detectChanges();
    expect(byTestId('status')?.textContent).not.toContain('Open');
    expect(byTestId<HTMLInputElement>('search')?.value).toBe('carol');
    expect(byTestId('flagged')?.querySelector('input')?.checked).toBe(false);
  });

  it('clears every field and the projected controls’ parameters in one navigation', async () => {
    const page = await harness.navigateByUrl('/things?search=bob&userId=u1&flagged=true&page=2', PageComponent);
    byTestId('things-clear-filters')?.click();
    await harness.fixture.whenStable();

    expect(url()).toBe('/things');
    expect(byTestId<HTMLInputElement>('search')?.value).toBe('');
    expect(page.cleared).toBe(1);
    expect(byTestId('things-clear-filters')).toBeNull();
  });
});
