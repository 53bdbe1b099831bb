import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import type { MockInstance } from 'vitest';

import { AuthSession } from '../../../core/auth/auth-session.service';
import { AuthStore } from '../../../core/auth/auth.store';
import { RuntimeConfigStore } from '../../../core/config/runtime-config';
import { PrivacyCardComponent } from './privacy-card.component';

/** My account → Your data → Delete account: the card opens the dialog, the dialog asks the server. */
describe('DeleteAccountDialogComponent', () => {
  let fixture: ComponentFixture<PrivacyCardComponent>;
  let apollo: ApolloTestingController;
  let signOut: MockInstance<AuthSession['signOut']>;

  // The dialog and the snack bar live in the overlay container, outside the card.
  const el = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const input = () => el('delete-account-proof') as HTMLInputElement | null;

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  /** Opens the dialog, answering whether two-factor sign-in is on. */
  async function open(twoFactorEnabled: boolean): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('MyDataExport'))).flushData({ myDataExport: null });
    await settle(() => expect(el('delete-account')).not.toBeNull());
    (el('delete-account') as HTMLButtonElement).click();
    (await vi.waitFor(() => apollo.expectOne('MyTwoFactor'))).flushData({ me: { id: 'me', twoFactorEnabled } });
    await settle(() => expect(input()).not.toBeNull());
  }

  function submit(proof: string): void {
    const field = input();
    if (!field) throw new Error('no proof field');
    field.value = proof;
    field.dispatchEvent(new Event('input'));
    (el('delete-account-confirm') as HTMLButtonElement).click();
  }

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: RuntimeConfigStore,
          useValue: { config: { graphqlUrl: 'http://api.test/graphql', graphqlWsUrl: 'ws://api.test/graphql' } },
        },
      ],
    });
    apollo = TestBed.inject(ApolloTestingController);
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'me', email: 'me@example.com', name: 'Me', roles: ['USER'], emailVerified: true },
    });
    // The real sign-out (tested with the session) navigates away; here only that it is asked for.
    signOut = vi.spyOn(TestBed.inject(AuthSession), 'signOut').mockResolvedValue();
    fixture = TestBed.createComponent(PrivacyCardComponent);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    apollo.verify();
  });

  it('explains the grace period, deletes with the password, then signs out saying until when sign-in cancels it', async () => {
    await open(false);
    expect(el('delete-account-explanation')?.textContent).toContain('stops working at once');
    expect(el('delete-account-explanation')?.textContent).toContain('30 days');
    expect(el('delete-account-explanation')?.textContent).toContain('Signing in again before then cancels');
    expect(input()?.type).toBe('password');

    submit('correct horse');
    const op = await vi.waitFor(() => apollo.expectOne('DeleteMyAccount'));
    expect(op.operation.variables).toEqual({ input: { password: 'correct horse' } });
    op.flushData({ deleteMyAccount: { deleteAfter: '2026-04-01T12:00:00.000Z' } });

    await vi.waitFor(() => expect(signOut).toHaveBeenCalledWith());
    await settle(() => expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('2026'));
    expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('Sign in before then to cancel');
    await settle(() => expect(input()).toBeNull());
  });

  it("shows the server's refusal of a wrong password in the dialog and stays signed in", async () => {
    await open(false);
    submit('wrong');
    (await vi.waitFor(() => apollo.expectOne('DeleteMyAccount'))).graphqlErrors([
      { message: 'Wrong password', extensions: { code: 'BAD_USER_INPUT' } },
    ]);

    await settle(() => expect(el('delete-account-error')?.textContent).toContain('Wrong password'));
    expect(el('delete-account-error')?.getAttribute('role')).toBe('alert');
    expect((el('delete-account-confirm') as HTMLButtonElement).disabled).toBe(false);
    expect(signOut).not.toHaveBeenCalled();
  });

  it('asks for a code instead of the password when two-factor sign-in is on', async () => {
    await open(true);
    expect(input()?.type).not.toBe('password');
    expect(input()?.getAttribute('autocomplete')).toBe('one-time-code');

    submit('123456');
    const op = await vi.waitFor(() => apollo.expectOne('DeleteMyAccount'));
    expect(op.operation.variables).toEqual({ input: { code: '123456' } });
    op.flushData({ deleteMyAccount: { deleteAfter: '2026-04-01T12:00:00.000Z' } });
    await vi.waitFor(() => expect(signOut).toHaveBeenCalled());
  });

  it('sends nothing without a password, and cancelling deletes nothing', async () => {
    await open(false);
    (el('delete-account-confirm') as HTMLButtonElement).click();
    await settle(() => expect(document.querySelector('mat-error')?.textContent).toContain('Enter your password'));
    apollo.expectNone('DeleteMyAccount');

    (document.querySelector('[mat-dialog-close]') as HTMLButtonElement).click();
    await settle(() => expect(input()).toBeNull());
    apollo.expectNone('DeleteMyAccount');
    expect(signOut).not.toHaveBeenCalled();
  });
});
