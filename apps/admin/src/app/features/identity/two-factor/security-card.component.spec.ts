import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { SecurityCardComponent } from './security-card.component';

describe('SecurityCardComponent', () => {
  let fixture: ComponentFixture<SecurityCardComponent>;
  let apollo: ApolloTestingController;

  const el = <T extends HTMLElement = HTMLElement>(id: string) =>
    fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as T | null;

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  async function answerStatus(twoFactorEnabled: boolean): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('MyTwoFactor'))).flushData({ me: { id: 'me', twoFactorEnabled } });
    await settle(() => expect(el('two-factor-status')?.textContent).toContain(twoFactorEnabled ? 'on' : 'off'));
  }

  function type(id: string, value: string): void {
    const input = el<HTMLInputElement>(id);
    if (!input) throw new Error(`no ${id}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [ApolloTestingModule] });
    apollo = TestBed.inject(ApolloTestingController);
    fixture = TestBed.createComponent(SecurityCardComponent);
    // The card's active-sessions list (sign-in-sessions.component.spec covers it).
    (await vi.waitFor(() => apollo.expectOne('SignInSessions'))).flushData({ signInSessions: [] });
    await answerStatus(true);
  });

  afterEach(() => apollo.verify());

  it('turns two-factor off with a code', async () => {
    type('two-factor-disable-code', ' 123 456 ');
    el('two-factor-disable')?.click();
    const op = await vi.waitFor(() => apollo.expectOne('DisableTwoFactor'));
    expect(op.operation.variables).toEqual({ input: { code: '123 456' } });
    op.flushData({ disableTwoFactor: true });
    await answerStatus(false);
  });

  it('offers the password instead, and shows a refusal', async () => {
    el('two-factor-disable-proof')?.click();
    await settle(() => expect(el('two-factor-disable-password')?.getAttribute('type')).toBe('password'));
    expect(el('two-factor-disable-code')).toBeNull();

    type('two-factor-disable-password', 'Str0ng-Passphrase ');
    el('two-factor-disable')?.click();
    const op = await vi.waitFor(() => apollo.expectOne('DisableTwoFactor'));
    expect(op.operation.variables).toEqual({ input: { password: 'Str0ng-Passphrase ' } });
    op.graphqlErrors([{ message: 'Wrong password', extensions: { code: 'BAD_USER_INPUT' } }]);
    await settle(() => expect(el('two-factor-error')?.textContent).toContain('Wrong password'));
  });
});
