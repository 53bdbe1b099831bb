import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { AuthStore } from '../../../core/auth/auth.store';
import { LoginComponent } from './login.component';

describe('LoginComponent', () => {
  let fixture: ComponentFixture<LoginComponent>;
  let apollo: ApolloTestingController;

  const el = (testId: string) =>
    fixture.nativeElement.querySelector(`[data-testid="${testId}"]`) as HTMLElement | null;

  function type(testId: string, value: string): void {
    const input = el(testId) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  }

  async function submit(): Promise<void> {
    (el('login-submit') as HTMLButtonElement).click();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [LoginComponent, ApolloTestingModule],
      providers: [provideRouter([{ path: '**', children: [] }])],
    });
    apollo = TestBed.inject(ApolloTestingController);
    fixture = TestBed.createComponent(LoginComponent);
    await fixture.whenStable();
  });

  it('shows the form with its test hooks', () => {
    expect(el('login-form')).not.toBeNull();
    expect(el('login-email')).not.toBeNull();
    expect(el('login-password')).not.toBeNull();
    expect(el('login-submit')?.textContent).toContain('Sign in');
  });

  it('links to the password reset page', () => {
    expect(el('forgot-password-link')?.getAttribute('href')).toBe('/forgot-password');
  });

  it('does not call the API and explains what is missing when the form is empty', async () => {
    await submit();

    apollo.expectNone('Login');
    expect(fixture.nativeElement.textContent).toContain('Enter your email address.');
    expect(fixture.nativeElement.textContent).toContain('Enter your password.');
  });

  it('rejects a malformed email before calling the API', async () => {
    type('login-email', 'not-an-email');
    type('login-password', 'secret');
    await submit();

    apollo.expectNone('Login');
    expect(fixture.nativeElement.textContent).toContain('Enter a valid email address');
  });

  it("shows the server's message when login fails, and lets the user retry", async () => {
    type('login-email', 'admin@example.com');
    type('login-password', 'wrong');
    await submit();

    const operation = await vi.waitFor(() => apollo.expectOne('Login'));
    expect(operation.operation.variables).toEqual({
      input: { email: 'admin@example.com', password: 'wrong' },
    });
    expect((el('login-submit') as HTMLButtonElement).disabled).toBe(true);

    operation.graphqlErrors([
      { message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(el('login-error')?.textContent).toContain('Invalid email or password');
    });
    expect((el('login-submit') as HTMLButtonElement).disabled).toBe(false);
    expect(TestBed.inject(AuthStore).isSignedIn()).toBe(false);
  });

  it('signs in and returns to the page the guard interrupted', async () => {
    fixture.componentRef.setInput('returnUrl', '/users');
    type('login-email', 'admin@example.com');
    type('login-password', 'correct horse');
    await submit();

    (await vi.waitFor(() => apollo.expectOne('Login'))).flushData({
      login: {
        __typename: 'AuthPayload',
        twoFactor: null,
        accessToken: 'access-1',
        refreshToken: 'refresh-1',
        expiresIn: 900,
        user: {
          __typename: 'User',
          id: 'u1',
          email: 'admin@example.com',
          name: 'Admin',
          roles: ['SUPER_ADMIN'],
          emailVerified: true,
        },
      },
    });

    const router = TestBed.inject(Router);
    await vi.waitFor(() => expect(router.url).toBe('/users'));
    expect(TestBed.inject(AuthStore).accessToken()).toBe('access-1');
  });

  it('asks for the authenticator code when the account has two-factor sign-in, then signs in', async () => {
    type('login-email', 'admin@example.com');
    type('login-password', 'correct horse');
    await submit();
    const user = { __typename: 'User', id: 'u1', email: 'admin@example.com', name: 'Admin', roles: ['SUPER_ADMIN'], emailVerified: true };
    (await vi.waitFor(() => apollo.expectOne('Login'))).flushData({
      login: {
        __typename: 'AuthPayload',
        accessToken: null,
        refreshToken: null,
        expiresIn: null,
        user,
        twoFactor: { __typename: 'TwoFactorChallenge', challengeToken: 'challenge-1', purpose: 'SIGN_IN', expiresIn: 300 },
      },
    });
    await vi.waitFor(() => expect(el('login-two-factor-code')).not.toBeNull());
    expect(TestBed.inject(AuthStore).isSignedIn()).toBe(false);

    type('login-two-factor-code', '123456');
    (el('login-two-factor-submit') as HTMLButtonElement).click();
    fixture.detectChanges();
    const operation = await vi.waitFor(() => apollo.expectOne('CompleteTwoFactorSignIn'));
    expect(operation.operation.variables).toEqual({ input: { challengeToken: 'challenge-1', code: '123456' } });
    operation.flushData({
      completeTwoFactorSignIn: { __typename: 'AuthPayload', accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900, user, twoFactor: null },
    });
    await vi.waitFor(() => expect(TestBed.inject(AuthStore).accessToken()).toBe('access-2'));
  });

  it('offers Google sign-in as a full navigation to the API', () => {
    expect(el('google-sign-in')?.getAttribute('href')).toBe('/auth/google');
  });

  it('exchanges the one-time code Google sign-in returns with, then opens the console', async () => {
    const withCode = TestBed.createComponent(LoginComponent);
    withCode.componentRef.setInput('code', 'one-time-code');
    withCode.detectChanges();

    const operation = await vi.waitFor(() => apollo.expectOne('ExchangeSignInCode'));
    expect(operation.operation.variables).toEqual({ code: 'one-time-code' });
    operation.flushData({
      exchangeSignInCode: {
        __typename: 'AuthPayload',
        twoFactor: null,
        accessToken: 'access-g',
        refreshToken: 'refresh-g',
        expiresIn: 900,
        user: { __typename: 'User', id: 'u2', email: 'g@example.com', name: 'G', roles: ['USER'], emailVerified: true },
      },
    });

    await vi.waitFor(() => expect(TestBed.inject(AuthStore).accessToken()).toBe('access-g'));
    expect(TestBed.inject(Router).url).toBe('/');
  });
});
