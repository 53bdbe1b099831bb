import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { formatDay, parseDay } from '../../../shared/data/local-day';
import { anAuditEntry, aPage } from '../testing/identity-fixtures';
import { listFilter, type ListQueryParams } from '../../../shared/data/list-page';
import { answerQuery, refuseThenRetry, routeListPage } from '../../../shared/testing/routed-list-page';
import { routedPage } from '../../../shared/testing/routed-page';
import { AUDIT_LIST } from './audit-log-filter';
import { AuditLogComponent } from './audit-log.component';

const ACTOR = '6f1c2d3e-0000-4000-8000-000000000001';

/** The filter the page sends for a query string. */
const auditLogFilter = (params: ListQueryParams) => listFilter(AUDIT_LIST, params);

describe('AUDIT_LIST', () => {
  it('covers whole local days from the first to the last, both included', () => {
    const filter = auditLogFilter({ from: '2026-03-01', to: '2026-03-02' });

    expect(filter.from).toBe(new Date(2026, 2, 1, 0, 0, 0, 0).toISOString());
    expect(filter.to).toBe(new Date(2026, 2, 2, 23, 59, 59, 999).toISOString());
    expect(filter).toMatchObject({ page: 1, perPage: 50 });
  });

  it('leaves out what the API would refuse: partial actor ids, impossible days, odd page sizes', () => {
    expect(auditLogFilter({ actorId: '6f1c2d3e', from: '2026-02-30', to: 'yesterday', perPage: '7' })).toEqual({
      page: 1,
      perPage: 50,
    });
    expect(auditLogFilter({ action: ' user.suspended ', actorId: ACTOR, page: '2', perPage: '200' })).toEqual({
      action: 'user.suspended',
      actorId: ACTOR,
      page: 2,
      perPage: 200,
    });
  });

  it('round-trips calendar days through the query string', () => {
    expect(formatDay(parseDay('2026-12-31') as Date)).toBe('2026-12-31');
  });
});

describe('AuditLogComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  routeListPage('audit-log', AuditLogComponent, (page) => ({ harness, apollo } = page));

  const { root, byTestId, rows, settle } = routedPage(() => harness, 'audit-row');

  const answer = (items = [anAuditEntry()], pageInfo = {}) =>
    answerQuery({ harness, apollo }, 'AuditLog', {
      auditLog: { __typename: 'AuditEntryPage', ...aPage(items, { perPage: 50, ...pageInfo }) },
    });

  function type(testId: string, value: string): void {
    const input = byTestId(testId) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('lists entries newest first with their action as a hook, and expands the details JSON', async () => {
    await harness.navigateByUrl('/audit-log', AuditLogComponent);
    expect(await answer([anAuditEntry(), anAuditEntry({ id: '0', action: 'user.signed_in', details: {} })])).toEqual({
      filter: { page: 1, perPage: 50 },
    });

    await settle(() =>
      expect(rows().map((row) => row.dataset['action'])).toEqual(['user.role_assigned', 'user.signed_in']),
    );
    expect(byTestId('audit-table')).not.toBeNull();
    expect(byTestId('audit-details')).toBeNull();

    (rows()[0].querySelector('[data-testid="audit-expand"]') as HTMLElement).click();

    await settle(() => expect(byTestId('audit-details')).not.toBeNull());
    expect(JSON.parse(byTestId('audit-details')?.querySelector('pre')?.textContent ?? '')).toEqual({
      from: 'USER',
      to: 'MANAGER',
    });
  });

  it('filters by action and by a whole actor id, not by a half-typed one', async () => {
    await harness.navigateByUrl('/audit-log', AuditLogComponent);
    await answer();

    type('audit-action-filter', 'user.suspended');
    expect(await answer()).toEqual({ filter: { action: 'user.suspended', page: 1, perPage: 50 } });

    type('audit-actor-filter', ACTOR.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 400));
    apollo.expectNone('AuditLog');
    await settle(() => expect(root().textContent).toContain('Paste a whole user ID'));

    type('audit-actor-filter', ACTOR);
    expect(await answer()).toEqual({ filter: { action: 'user.suspended', actorId: ACTOR, page: 1, perPage: 50 } });
    expect(TestBed.inject(Router).url).toBe(`/audit-log?action=user.suspended&actorId=${ACTOR}`);
  });

  it('reads a date range and page from the URL, and pages on the server', async () => {
    await harness.navigateByUrl('/audit-log?from=2026-03-01&to=2026-03-31&page=2', AuditLogComponent);

    expect(await answer([anAuditEntry()], { page: 2, total: 120 })).toEqual({
      filter: {
        from: new Date(2026, 2, 1).toISOString(),
        to: new Date(2026, 2, 31, 23, 59, 59, 999).toISOString(),
        page: 2,
        perPage: 50,
      },
    });
    await settle(() => expect(root().textContent).toContain('51 – 100 of 120'));

    (root().querySelector('button.mat-mdc-paginator-navigation-next') as HTMLButtonElement).click();
    expect(await answer([anAuditEntry()], { page: 3, total: 120 })).toMatchObject({ filter: { page: 3 } });
  });

  it('shows an empty state when nothing matches', async () => {
    await harness.navigateByUrl('/audit-log?action=team.created', AuditLogComponent);
    await answer([]);

    await settle(() => expect(byTestId('audit-empty')?.textContent).toContain('No entries match these filters'));
  });

  it('shows the server’s error and loads again on retry', async () => {
    await harness.navigateByUrl('/audit-log', AuditLogComponent);
    await refuseThenRetry({ harness, apollo }, 'AuditLog', () => answer());
    await settle(() => expect(rows()).toHaveLength(1));
  });
});
