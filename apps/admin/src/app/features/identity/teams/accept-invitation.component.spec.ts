import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { AuthStore } from '../../../core/auth/auth.store';
import { routedPage } from '../../../shared/testing/routed-page';
import { AcceptInvitationComponent } from './accept-invitation.component';

describe('AcceptInvitationComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  const { settle, byTestId, root } = routedPage(() => harness, 'none');

  async function open(url: string): Promise<void> {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path: 'invitations/accept', component: AcceptInvitationComponent }], withComponentInputBinding())],
    });
    TestBed.inject(AuthStore).signIn({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      user: { id: 'u9', email: 'dee@example.com', name: 'Dee', roles: ['USER'], emailVerified: true },
    });
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url, AcceptInvitationComponent);
  }

  it('names the signed-in address, accepts on the button and links to the team', async () => {
    await open('/invitations/accept?token=tok-123');
    expect(root().textContent).toContain('dee@example.com');
    byTestId('invitation-accept')?.click();
    const accept = await vi.waitFor(() => apollo.expectOne('AcceptTeamInvitation'));
    expect(accept.operation.variables).toEqual({ token: 'tok-123' });
    accept.flushData({ acceptTeamInvitation: { __typename: 'Team', id: 't1', name: 'Research', myRole: 'member' } });
    await settle(() => expect(byTestId('invitation-joined')?.textContent).toContain('Research'));
    expect(byTestId('invitation-open-team')?.getAttribute('href')).toBe('/teams/t1');
  });

  it('explains an expired link and another account’s refusal', async () => {
    await open('/invitations/accept?token=tok-123');
    byTestId('invitation-accept')?.click();
    (await vi.waitFor(() => apollo.expectOne('AcceptTeamInvitation'))).graphqlErrors([
      { message: 'This invitation has expired: ask the team for a new one', extensions: { code: 'INVITATION_EXPIRED' } },
    ]);
    await settle(() => expect(byTestId('invitation-error')?.textContent).toContain('expired'));

    byTestId('invitation-accept')?.click();
    (await vi.waitFor(() => apollo.expectOne('AcceptTeamInvitation'))).graphqlErrors([
      { message: 'This invitation was sent to another e-mail address: sign in as that account to accept it', extensions: { code: 'FORBIDDEN' } },
    ]);
    await settle(() => expect(byTestId('invitation-error')?.textContent).toContain('another e-mail address'));
  });

  it('says so when the link has no token', async () => {
    await open('/invitations/accept');
    expect(byTestId('invitation-error')?.textContent).toContain('no invitation');
    expect(byTestId('invitation-accept')).toBeNull();
  });
});
