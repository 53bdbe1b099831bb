import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { AuthStore } from '../../../core/auth/auth.store';
import { routedPage, typeInto } from '../../../shared/testing/routed-page';
import { TeamDetailComponent } from './team-detail.component';

const member = (userId: string, role: string, name: string) => ({
  __typename: 'TeamMember',
  userId,
  role,
  name,
  email: `${name.toLowerCase()}@example.com`,
  addedAt: '2026-03-01T10:00:00.000Z',
});

const invitation = (id: string, email: string, expired = false) => ({
  __typename: 'TeamInvitation',
  id,
  email,
  role: 'member',
  createdAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-03-08T10:00:00.000Z',
  expired,
});

function aTeam(myRole: string, invitations: unknown[] | null, seats: { limit: number; taken: number } | null = null) {
  return {
    __typename: 'Team',
    id: 't1',
    name: 'Research',
    myRole,
    members: [member('u1', 'manager', 'Ann'), member('u2', 'member', 'Bob')],
    invitations,
    seats: seats && { __typename: 'TeamSeats', ...seats },
  };
}

describe('TeamDetailComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  const { rows, settle, byTestId, root, inDialog } = routedPage(() => harness, 'team-member-row');
  const invitationRows = () => [...root().querySelectorAll<HTMLElement>('[data-testid="team-invitation-row"]')];
  const button = (row: HTMLElement, id: string) => row.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`);

  beforeEach(async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path: 'teams/:id', component: TeamDetailComponent }], withComponentInputBinding())],
    });
    TestBed.inject(AuthStore).signIn({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      user: { id: 'u1', email: 'ann@example.com', name: 'Ann', roles: ['USER'], emailVerified: true },
    });
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/teams/t1', TeamDetailComponent);
  });

  async function answer(team: unknown): Promise<void> {
    const op = await vi.waitFor(() => apollo.expectOne('TeamMembership'));
    expect(op.operation.variables).toEqual({ id: 't1' });
    op.flushData({ team });
  }

  it('shows a manager the members with their roles, the pending invitations and the actions', async () => {
    await answer(aTeam('manager', [invitation('i1', 'cy@example.com'), invitation('i2', 'old@example.com', true)]));
    await settle(() => expect(rows()).toHaveLength(2));
    expect(byTestId('team-name')?.textContent).toContain('Research');
    expect(rows().map((row) => row.getAttribute('data-role'))).toEqual(['manager', 'member']);
    expect(rows()[1].textContent).toContain('bob@example.com');
    expect(button(rows()[1], 'member-make-manager')).not.toBeNull();
    expect(button(rows()[0], 'member-make-member')).not.toBeNull();
    expect(invitationRows().map((row) => row.getAttribute('data-email'))).toEqual(['cy@example.com', 'old@example.com']);
    expect(invitationRows()[1].textContent).toContain('Expired');
    expect(byTestId('team-invite')).not.toBeNull();
  });

  it("shows the seats a manager's plan sets, and invites only while one is free", async () => {
    const invite = () => byTestId('team-invite') as HTMLButtonElement | null;
    await answer(aTeam('manager', [invitation('i1', 'cy@example.com')], { limit: 3, taken: 3 }));
    await settle(() => expect(byTestId('team-seats')?.textContent).toContain('3 of 3 seats taken'));
    expect(byTestId('team-seats')?.textContent).toContain('remove a member or revoke an invitation');
    expect(invite()?.disabled).toBe(true);

    // Revoking the invitation frees its seat.
    button(invitationRows()[0], 'invitation-revoke')?.click();
    await settle(() => expect(inDialog('confirm-ok')).not.toBeNull());
    inDialog('confirm-ok').click();
    (await vi.waitFor(() => apollo.expectOne('RevokeTeamInvitation'))).flushData({
      revokeTeamInvitation: { __typename: 'TeamInvitation', id: 'i1' },
    });
    await answer(aTeam('manager', [], { limit: 3, taken: 2 }));
    await settle(() => expect(byTestId('team-seats')?.textContent).toContain('2 of 3 seats taken'));
    expect(byTestId('team-seats')?.textContent).not.toContain('revoke an invitation');
    expect(invite()?.disabled).toBe(false);
  });

  it('shows a plain member the members only: no invitations, no actions', async () => {
    await answer(aTeam('member', null));
    await settle(() => expect(rows()).toHaveLength(2));
    expect(button(rows()[1], 'member-remove')).toBeNull();
    expect(button(rows()[1], 'member-make-manager')).toBeNull();
    expect(byTestId('team-invite')).toBeNull();
    expect(root().querySelector('[data-testid="team-invitations-table"]')).toBeNull();
  });

  it('invites by e-mail from the dialog, shows the server’s refusal, then reloads', async () => {
    await answer(aTeam('manager', []));
    await settle(() => expect(byTestId('team-invite')).not.toBeNull());
    byTestId('team-invite')?.click();
    await settle(() => expect(inDialog('invite-email')).not.toBeNull());
    typeInto(inDialog<HTMLInputElement>('invite-email'), 'dee@example.com');
    inDialog('invite-submit').click();

    const first = await vi.waitFor(() => apollo.expectOne('InviteTeamMember'));
    expect(first.operation.variables).toEqual({ input: { teamId: 't1', email: 'dee@example.com', role: 'member' } });
    first.graphqlErrors([{ message: 'This address already has a pending invitation to the team', extensions: { code: 'CONFLICT' } }]);
    await settle(() => expect(inDialog('invite-error')?.textContent).toContain('already has a pending invitation'));

    inDialog('invite-submit').click();
    (await vi.waitFor(() => apollo.expectOne('InviteTeamMember'))).flushData({ inviteTeamMember: invitation('i3', 'dee@example.com') });
    await answer(aTeam('manager', [invitation('i3', 'dee@example.com')]));
    await settle(() => expect(invitationRows().map((row) => row.getAttribute('data-email'))).toEqual(['dee@example.com']));
  });

  it('removes a member after confirming, and makes a member a manager', async () => {
    await answer(aTeam('manager', []));
    await settle(() => expect(rows()).toHaveLength(2));
    button(rows()[1], 'member-remove')?.click();
    await settle(() => expect(inDialog('confirm-ok')).not.toBeNull());
    inDialog('confirm-ok').click();
    const removal = await vi.waitFor(() => apollo.expectOne('RemoveTeamMember'));
    expect(removal.operation.variables).toEqual({ input: { teamId: 't1', userId: 'u2' } });
    removal.flushData({ removeTeamMember: true });
    await answer({ ...aTeam('manager', []), members: [member('u1', 'manager', 'Ann'), member('u3', 'member', 'Cy')] });
    await settle(() => expect(rows().map((row) => row.getAttribute('data-user-id'))).toEqual(['u1', 'u3']));

    button(rows()[1], 'member-make-manager')?.click();
    const promotion = await vi.waitFor(() => apollo.expectOne('SetTeamMemberRole'));
    expect(promotion.operation.variables).toEqual({ input: { teamId: 't1', userId: 'u3', role: 'manager' } });
    promotion.flushData({ setTeamMemberRole: { __typename: 'Team', id: 't1' } });
    await vi.waitFor(() => apollo.expectOne('TeamMembership'));
  });
});
