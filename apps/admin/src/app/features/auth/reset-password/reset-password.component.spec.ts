import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { ResetPasswordComponent } from './reset-password.component';

describe('ResetPasswordComponent', () => {
  let fixture: ComponentFixture<ResetPasswordComponent>;
  let apollo: ApolloTestingController;

  const el = (id: string) => fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

  function type(id: string, value: string): void {
    const input = el(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  }

  const metRules = () =>
    [...fixture.nativeElement.querySelectorAll('[data-testid="password-rules"] li')].map(
      (li) => (li as HTMLElement).dataset['met'],
    );

  async function render(token?: string): Promise<void> {
    fixture = TestBed.createComponent(ResetPasswordComponent);
    if (token) fixture.componentRef.setInput('token', token);
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ResetPasswordComponent, ApolloTestingModule],
      providers: [provideRouter([])],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  it('ticks off the strength rules while typing', async () => {
    await render('tok-1');
    expect(metRules()).toEqual(['false', 'false', 'false']);

    type('reset-new', 'abcdefgh');
    await fixture.whenStable();
    expect(metRules()).toEqual(['true', 'false', 'false']);

    type('reset-new', 'Abcdefg1');
    await fixture.whenStable();
    expect(metRules()).toEqual(['true', 'true', 'true']);
  });

  it('refuses a weak or mismatched password before calling the API', async () => {
    await render('tok-1');
    type('reset-new', 'abcdefgh');
    type('reset-confirm', 'abcdefgh');
    el('reset-submit')?.click();
    await fixture.whenStable();
    apollo.expectNone('ResetPassword');

    type('reset-new', 'Abcdefg1');
    type('reset-confirm', 'Abcdefg2');
    el('reset-submit')?.click();
    await fixture.whenStable();
    apollo.expectNone('ResetPassword');
    expect(el('reset-mismatch')?.textContent).toContain('The two passwords are different');
  });

  it('sets the new password with the token from the link, then offers to sign in', async () => {
    await render('tok-1');
    type('reset-new', 'N3w-Passphrase');
    type('reset-confirm', 'N3w-Passphrase');
    el('reset-submit')?.click();

    const reset = await vi.waitFor(() => apollo.expectOne('ResetPassword'));
    expect(reset.operation.variables).toEqual({ input: { token: 'tok-1', newPassword: 'N3w-Passphrase' } });
    reset.flushData({ resetPassword: true });

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(el('reset-done')?.textContent).toContain('Your password has been changed');
    });
    expect(el('reset-sign-in')?.getAttribute('href')).toBe('/login');
  });

  it('shows why the server refused, e.g. a used link', async () => {
    await render('tok-used');
    type('reset-new', 'N3w-Passphrase');
    type('reset-confirm', 'N3w-Passphrase');
    el('reset-submit')?.click();
    (await vi.waitFor(() => apollo.expectOne('ResetPassword'))).graphqlErrors([
      { message: 'This reset link is invalid, used or expired', extensions: { code: 'BAD_USER_INPUT' } },
    ]);

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(el('reset-error')?.textContent).toContain('This reset link is invalid, used or expired');
    });
    expect(el('reset-done')).toBeNull();
  });

  it('explains an incomplete link instead of showing a form that cannot work', async () => {
    await render();

    expect(el('reset-no-token')).not.toBeNull();
    expect(el('reset-password-form')).toBeNull();
  });
});
