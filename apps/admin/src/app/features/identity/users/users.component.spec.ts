import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { aPage, aUser } from '../testing/identity-fixtures';
import { listFilter, type ListQueryParams } from '../../../shared/data/list-page';
import { answerQuery, refuseThenRetry } from '../../../shared/testing/routed-list-page';
import { routedPage } from '../../../shared/testing/routed-page';
import { USERS_LIST } from './users-filter';
import { UsersComponent } from './users.component';

/** The filter the page sends for a query string. */
const usersFilter = (params: ListQueryParams) => listFilter(USERS_LIST, params);

describe('USERS_LIST', () => {
  it('sends only the filters that are set, with the default page', () => {
    expect(usersFilter({})).toEqual({ page: 1, perPage: 20 });
    expect(usersFilter({ search: '  ann ', role: 'MANAGER', status: 'suspended', page: '3', perPage: '50' })).toEqual(
      { search: 'ann', role: 'MANAGER', status: 'suspended', page: 3, perPage: 50 },
    );
  });

  it('drops values the API would refuse instead of sending them', () => {
    expect(usersFilter({ role: 'ROOT', status: 'deleted', page: '-2', perPage: '1000' })).toEqual({
      page: 1,
      perPage: 20,
    });
    expect(usersFilter({ search: 'x'.repeat(150) }).search).toHaveLength(100);
  });
});

describe('UsersComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;

  const { root, byTestId, rows, settle } = routedPage(() => harness, 'user-row');

  /** The next Users request: its variables, answered with `items`. */
  const answerUsers = (items = [aUser()], pageInfo = {}) =>
    answerQuery({ harness, apollo }, 'Users', { users: { __typename: 'UserPage', ...aPage(items, pageInfo) } });

  async function pick(selectTestId: string, label: string): Promise<void> {
    (byTestId(selectTestId)?.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
    await harness.fixture.whenStable();
    const option = [...document.querySelectorAll<HTMLElement>('mat-option')].find(
      (candidate) => candidate.textContent?.trim() === label,
    );
    option?.click();
    await harness.fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideRouter(
          [
            { path: 'users', component: UsersComponent },
            { path: 'users/:id', children: [] },
          ],
          withComponentInputBinding(),
        ),
      ],
    });
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
  });

  it('loads the first page and shows one row per user, with its e-mail as a hook', async () => {
    await harness.navigateByUrl('/users', UsersComponent);

    expect(await answerUsers([aUser(), aUser({ id: 'u3', email: 'bob@example.com', name: 'Bob' })])).toEqual({
      filter: { page: 1, perPage: 20 },
    });
    await settle(() => expect(rows().map((row) => row.dataset['email'])).toEqual(['ann@example.com', 'bob@example.com']));
    expect(byTestId('users-table')).not.toBeNull();
    expect(rows()[0].textContent).toContain('Ann User');
  });

  it('turns the search box, role and status filters into query variables and URL parameters', async () => {
    await harness.navigateByUrl('/users?page=2', UsersComponent);
    await answerUsers();

    const search = byTestId('users-search') as HTMLInputElement;
    search.value = '  ann  ';
    search.dispatchEvent(new Event('input'));
    // Debounced: nothing is asked while typing.
    apollo.expectNone('Users');
    expect(await answerUsers()).toEqual({ filter: { search: 'ann', page: 1, perPage: 20 } });
    expect(TestBed.inject(Router).url).toBe('/users?search=ann');

    await pick('users-role-filter', 'Manager');
    expect(await answerUsers()).toEqual({ filter: { search: 'ann', role: 'MANAGER', page: 1, perPage: 20 } });

    await pick('users-status-filter', 'Suspended');
    expect(await answerUsers()).toEqual({
      filter: { search: 'ann', role: 'MANAGER', status: 'suspended', page: 1, perPage: 20 },
    });
    expect(TestBed.inject(Router).url).toBe('/users?search=ann&role=MANAGER&status=suspended');
  });

  it('pages on the server through the paginator', async () => {
    await harness.navigateByUrl('/users', UsersComponent);
    await answerUsers([aUser()], { total: 45 });

    await settle(() => expect(root().textContent).toContain('1 – 20 of 45'));
    (root().querySelector('button.mat-mdc-paginator-navigation-next') as HTMLButtonElement).click();

    expect(await answerUsers([aUser()], { page: 2, total: 45 })).toEqual({ filter: { page: 2, perPage: 20 } });
    await settle(() => expect(root().textContent).toContain('21 – 40 of 45'));
  });

  it('opens a user’s page on row click, keeping the filter for the way back', async () => {
    await harness.navigateByUrl('/users?search=ann', UsersComponent);
    await answerUsers();
    await settle(() => expect(rows()).toHaveLength(1));

    rows()[0].click();

    await vi.waitFor(() => expect(TestBed.inject(Router).url).toBe('/users/u2?search=ann'));
  });

  it('keeps a user’s row when a search result lists them again, so a click meanwhile is not lost', async () => {
    await harness.navigateByUrl('/users', UsersComponent);
    await answerUsers([aUser({ id: 'u3', email: 'bob@example.com', name: 'Bob' }), aUser()]);
    await settle(() => expect(rows()).toHaveLength(2));
    const annRow = rows()[1];

    const search = byTestId('users-search') as HTMLInputElement;
    search.value = 'ann';
    search.dispatchEvent(new Event('input'));
    await answerUsers([aUser()]);

    await settle(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toBe(annRow);
  });

  it('says so when nothing matches, and offers to clear the filters', async () => {
    await harness.navigateByUrl('/users?status=suspended', UsersComponent);
    await answerUsers([]);

    await settle(() => expect(byTestId('users-empty')?.textContent).toContain('No users match these filters'));
    byTestId('users-clear-filters')?.click();
    expect(await answerUsers()).toEqual({ filter: { page: 1, perPage: 20 } });
  });

  it('shows the server’s error and loads again on retry', async () => {
    await harness.navigateByUrl('/users', UsersComponent);
    await refuseThenRetry({ harness, apollo }, 'Users', () => answerUsers());
    await settle(() => expect(rows()).toHaveLength(1));
  });
});
