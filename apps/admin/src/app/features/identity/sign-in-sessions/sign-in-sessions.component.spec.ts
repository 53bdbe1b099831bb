import { OverlayContainer } from '@angular/cdk/overlay';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { SignInSession } from '../data-access/sign-in-sessions.api';
import { SignInSessionsComponent } from './sign-in-sessions.component';

const aSession = (overrides: Partial<SignInSession> = {}): SignInSession => ({
  id: 's-laptop',
  startedAt: '2026-12-01T09:00:00.000Z',
  lastUsedAt: '2026-12-05T12:00:00.000Z',
  expiresAt: '2026-12-31T08:00:00.000Z',
  device: 'Firefox 133 on Linux',
  current: false,
  ...overrides,
});

const THIS_ONE = aSession({ id: 's-this', device: 'Chrome 131 on macOS', current: true });
const PHONE = aSession({ id: 's-phone', device: 'Safari 18 on iOS' });
const SCRIPT = aSession({ id: 's-script', device: null, startedAt: '2026-11-20T12:00:00.000Z' });

describe('SignInSessionsComponent', () => {
  let fixture: ComponentFixture<SignInSessionsComponent>;
  let apollo: ApolloTestingController;

  const el = (id: string) =>
    fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const overlay = () => TestBed.inject(OverlayContainer).getContainerElement();
  const inDialog = (id: string) => overlay().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const rows = () =>
    [...fixture.nativeElement.querySelectorAll('[data-testid="sign-in-session-row"]')] as HTMLElement[];
  const row = (id: string) => rows().find((candidate) => candidate.dataset['session'] === id);

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  /** Answers the next SignInSessions query and waits until the list shows exactly those sessions. */
  async function answerSessions(sessions: SignInSession[]): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('SignInSessions'), { timeout: 5000 })).flushData({
      signInSessions: sessions,
    });
    await settle(() =>
      expect(rows().map((candidate) => candidate.dataset['session'])).toEqual(
        sessions.map((session) => session.id),
      ),
    );
  }

  async function confirm(title: string): Promise<void> {
    await settle(() => expect(overlay().textContent).toContain(title));
    inDialog('confirm-ok')?.click();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [ApolloTestingModule] });
    apollo = TestBed.inject(ApolloTestingController);
    fixture = TestBed.createComponent(SignInSessionsComponent);
  });

  afterEach(() => apollo.verify());

  it('lists each session with its device and times, marks this device, and offers Revoke only for the others', async () => {
    await answerSessions([THIS_ONE, PHONE, SCRIPT]);

    expect(row('s-this')?.textContent).toContain('Chrome 131 on macOS');
    expect(row('s-this')?.querySelector('[data-testid="sign-in-session-current"]')?.textContent).toContain(
      'This device',
    );
    expect(row('s-this')?.querySelector('[data-testid="sign-in-session-revoke"]')).toBeNull();
    expect(row('s-phone')?.querySelector('[data-testid="sign-in-session-current"]')).toBeNull();
    expect(row('s-phone')?.querySelector('[data-testid="sign-in-session-revoke"]')).not.toBeNull();
    expect(row('s-script')?.textContent).toContain('Unknown device');
    expect(row('s-script')?.textContent).toMatch(/Signed in Nov 20, 2026.*last used Dec 5, 2026/s);
    expect(el('sign-in-sessions-revoke-others')).not.toBeNull();
  });

  it('signs one other session out after confirmation, and reloads the list', async () => {
    await answerSessions([THIS_ONE, PHONE, SCRIPT]);

    // Cancelling leaves it alone.
    (row('s-phone')?.querySelector('[data-testid="sign-in-session-revoke"]') as HTMLElement).click();
    await settle(() => expect(inDialog('confirm-cancel')).not.toBeNull());
    inDialog('confirm-cancel')?.click();
    await fixture.whenStable();
    apollo.expectNone('RevokeSignInSession');

    (row('s-phone')?.querySelector('[data-testid="sign-in-session-revoke"]') as HTMLElement).click();
    await confirm('Safari 18 on iOS is signed out at once');
    const revoke = await vi.waitFor(() => apollo.expectOne('RevokeSignInSession'));
    expect(revoke.operation.variables).toEqual({ id: 's-phone' });
    revoke.flushData({ revokeSignInSession: true });

    await answerSessions([THIS_ONE, SCRIPT]);
    expect(overlay().textContent).toContain('Session signed out.');
  });

  it('signs every other session out, keeping this one', async () => {
    await answerSessions([THIS_ONE, PHONE, SCRIPT]);

    el('sign-in-sessions-revoke-others')?.click();
    await confirm('Sign out every other session?');
    (await vi.waitFor(() => apollo.expectOne('RevokeOtherSignInSessions'))).flushData({
      revokeOtherSignInSessions: 2,
    });

    await answerSessions([THIS_ONE]);
    expect(overlay().textContent).toContain('2 other sessions signed out.');
    expect(el('sign-in-sessions-revoke-others')).toBeNull();
    expect(el('sign-in-sessions-only-this')?.textContent).toContain('No other browser or app is signed in');
  });

  it("shows the server's refusal and keeps the list", async () => {
    await answerSessions([THIS_ONE, PHONE]);
    (row('s-phone')?.querySelector('[data-testid="sign-in-session-revoke"]') as HTMLElement).click();
    await confirm('Sign out this session?');
    (await vi.waitFor(() => apollo.expectOne('RevokeSignInSession'))).graphqlErrors([
      { message: 'Sign-in session not found', extensions: { code: 'NOT_FOUND' } },
    ]);
    await settle(() => expect(overlay().textContent).toContain('Sign-in session not found'));
    expect(rows()).toHaveLength(2);
    expect(
      (row('s-phone')?.querySelector('[data-testid="sign-in-session-revoke"]') as HTMLButtonElement).disabled,
    ).toBe(false);
  });

  it('offers a retry when the list cannot be loaded', async () => {
    (await vi.waitFor(() => apollo.expectOne('SignInSessions'))).networkError(
      new Error('Http failure response: 0 Unknown Error'),
    );
    await settle(() => expect(el('error-state')).not.toBeNull());
    el('error-retry')?.click();
    await answerSessions([THIS_ONE]);
    expect(el('sign-in-sessions-only-this')).not.toBeNull();
  });
});
