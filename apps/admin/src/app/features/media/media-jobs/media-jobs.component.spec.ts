import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { AuthStore } from '../../../core/auth/auth.store';
import type { Role } from '../../../core/auth/auth.types';
import type { MediaJob } from '../data-access/media.types';
import { listFilter, type ListQueryParams } from '../../../shared/data/list-page';
import { routedPage } from '../../../shared/testing/routed-page';
import { aMediaJob as aJob } from '../testing/media-fixtures';
import { mediaJobsList } from './media-jobs-filter';
import { MediaJobsComponent } from './media-jobs.component';

const page = (items: MediaJob[]) => ({
  items,
  pageInfo: { page: 1, perPage: 20, total: items.length, totalPages: 1 },
});

/** The filter the page sends for a query string, to someone who sees everyone's jobs or not. */
const mediaJobsFilter = (params: ListQueryParams, seesEveryone: boolean) =>
  listFilter(mediaJobsList(() => [], () => seesEveryone), params);

describe('mediaJobsList', () => {
  it('keeps known statuses, kinds and page sizes and drops the rest', () => {
    expect(mediaJobsFilter({}, false)).toEqual({ page: 1, perPage: 20 });
    expect(
      mediaJobsFilter({ status: 'RUNNING', kind: 'VIDEO', model: ' sora-2 ', page: '2', perPage: '50' }, false),
    ).toEqual({ status: 'RUNNING', kind: 'VIDEO', model: 'sora-2', page: 2, perPage: 50 });
    expect(mediaJobsFilter({ status: 'DONE', kind: 'AUDIO', perPage: '7' }, false)).toEqual({ page: 1, perPage: 20 });
  });

  it('filters by user only for those who see everyone’s jobs, and only by a whole id', () => {
    const userId = '0b8f5c2e-1d2a-4c3b-9e8f-7a6b5c4d3e2f';
    expect(mediaJobsFilter({ userId }, true)).toEqual({ userId, page: 1, perPage: 20 });
    expect(mediaJobsFilter({ userId }, false)).toEqual({ page: 1, perPage: 20 });
    expect(mediaJobsFilter({ userId: '0b8f' }, true)).toEqual({ page: 1, perPage: 20 });
  });
});

describe('MediaJobsComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;

  const { root, rows, settle } = routedPage(() => harness, 'media-job-row');

  async function open(roles: Role[], items: MediaJob[]) {
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'u1', email: 'ann@example.com', name: 'Ann', roles, emailVerified: true },
    });
    await harness.navigateByUrl('/media-jobs', MediaJobsComponent);
    const jobs = await vi.waitFor(() => apollo.expectOne('MediaJobs'));
    jobs.flushData({ mediaJobs: page(items) });
    (await vi.waitFor(() => apollo.expectOne('MediaModels'))).flushData({ mediaModels: [] });
    const updates = await vi.waitFor(() => apollo.expectOne('MediaJobUpdated'));
    await harness.fixture.whenStable();
    return { variables: jobs.operation.variables, updates };
  }

  beforeEach(async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path: 'media-jobs', component: MediaJobsComponent }])],
    });
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
  });

  it('shows a pushed status change in the row, without fetching the page again', async () => {
    const { variables, updates } = await open(['USER'], [aJob()]);
    expect(variables).toEqual({ filter: {}, page: 1, perPage: 20 });
    await settle(() => expect(rows().map((row) => row.dataset['status'])).toEqual(['QUEUED']));

    updates.flushData({
      mediaJobUpdated: aJob({ status: 'SUCCEEDED', updatedAt: '2026-12-04T09:00:05.000Z' }),
    });
    await settle(() => expect(rows()[0].dataset['status']).toBe('SUCCEEDED'));
    expect(rows()[0].textContent).toContain('Succeeded');
    // An older view arriving late does not undo it.
    updates.flushData({ mediaJobUpdated: aJob({ status: 'RUNNING', updatedAt: '2026-12-04T09:00:03.000Z' }) });
    await harness.fixture.whenStable();
    expect(rows()[0].dataset['status']).toBe('SUCCEEDED');
    apollo.expectNone('MediaJobs');
  });

  it('fetches the first page again when a job that belongs on it appears', async () => {
    const { updates } = await open(['USER'], [aJob()]);

    updates.flushData({ mediaJobUpdated: aJob({ id: 'j2', prompt: 'a red kite' }) });
    const again = await vi.waitFor(() => apollo.expectOne('MediaJobs'));
    again.flushData({ mediaJobs: page([aJob({ id: 'j2', prompt: 'a red kite' }), aJob()]) });
    await settle(() => expect(rows().map((row) => row.dataset['id'])).toEqual(['j2', 'j1']));
  });

  it('shows the user column and filter only to those who see everyone’s jobs', async () => {
    await open(['ADMIN'], [aJob({ userId: 'u9' })]);
    await settle(() => expect(rows()).toHaveLength(1));
    expect(root().querySelector('[data-testid="media-jobs-user-filter"]')).not.toBeNull();
    expect(rows()[0].textContent).toContain('u9');
  });
});
