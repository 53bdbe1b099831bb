import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { AuthStore } from '../../../core/auth/auth.store';
import { routedPage } from '../../../shared/testing/routed-page';
import { TeamsComponent } from './teams.component';

const aTeam = (id: string, name: string, myRole: string | null) => ({
  __typename: 'Team',
  id,
  name,
  createdAt: '2026-03-01T10:00:00.000Z',
  myRole,
});

describe('TeamsComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  const { rows, settle, byTestId } = routedPage(() => harness, 'teams-row');

  async function open(roles: Array<'USER' | 'ADMIN'>): Promise<void> {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path: 'teams', component: TeamsComponent }, { path: 'teams/:id', children: [] }])],
    });
    TestBed.inject(AuthStore).signIn({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      user: { id: 'u1', email: 'ann@example.com', name: 'Ann', roles, emailVerified: true },
    });
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/teams', TeamsComponent);
  }

  it('lists your teams with your role in each and opens one', async () => {
    await open(['USER']);
    (await vi.waitFor(() => apollo.expectOne('MyTeams'))).flushData({
      teams: [aTeam('t1', 'Research', 'manager'), aTeam('t2', 'Sales', 'member')],
    });
    await settle(() => expect(rows()).toHaveLength(2));
    expect(rows().map((row) => row.querySelector('[data-testid="team-my-role"]')?.textContent?.trim())).toEqual(['Manager', 'Member']);
    expect(harness.routeNativeElement?.textContent).not.toContain('every team');

    rows()[0].click();
    await settle(() => expect(TestBed.inject(Router).url).toBe('/teams/t1'));
  });

  it('tells an administrator that every team is shown, a dash where they are not a member', async () => {
    await open(['ADMIN']);
    (await vi.waitFor(() => apollo.expectOne('MyTeams'))).flushData({ teams: [aTeam('t3', 'Ops', null)] });
    await settle(() => expect(rows()).toHaveLength(1));
    expect(rows()[0].querySelector('[data-testid="team-my-role"]')?.textContent?.trim()).toBe('—');
    expect(harness.routeNativeElement?.textContent).toContain('every team');
  });

  it('says so when you are in no team', async () => {
    await open(['USER']);
    (await vi.waitFor(() => apollo.expectOne('MyTeams'))).flushData({ teams: [] });
    await settle(() => expect(byTestId('teams-empty')?.textContent).toContain('not in any team'));
  });
});
