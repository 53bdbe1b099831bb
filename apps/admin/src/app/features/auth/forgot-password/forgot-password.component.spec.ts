import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { ForgotPasswordComponent } from './forgot-password.component';

describe('ForgotPasswordComponent', () => {
  let fixture: ComponentFixture<ForgotPasswordComponent>;
  let apollo: ApolloTestingController;

  const el = (id: string) => fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

  async function submit(email: string): Promise<void> {
    const input = el('forgot-password-email') as HTMLInputElement;
    input.value = email;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    el('forgot-password-submit')?.click();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ForgotPasswordComponent, ApolloTestingModule],
      providers: [provideRouter([])],
    });
    apollo = TestBed.inject(ApolloTestingController);
    fixture = TestBed.createComponent(ForgotPasswordComponent);
    await fixture.whenStable();
  });

  it('asks for a reset link and says one was sent if the address exists, without revealing whether it does', async () => {
    await submit(' someone@example.com ');

    const request = await vi.waitFor(() => apollo.expectOne('RequestPasswordReset'));
    expect(request.operation.variables).toEqual({ email: 'someone@example.com' });
    request.flushData({ requestPasswordReset: true });

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(el('reset-requested')?.textContent).toContain('If an account exists for someone@example.com');
    });
    expect(el('forgot-password-form')).toBeNull();
  });

  it('does not call the API for a malformed address', async () => {
    await submit('not-an-address');

    apollo.expectNone('RequestPasswordReset');
    expect(fixture.nativeElement.textContent).toContain('Enter a valid email address');
  });

  it('shows the server’s message when the request fails', async () => {
    await submit('someone@example.com');
    (await vi.waitFor(() => apollo.expectOne('RequestPasswordReset'))).graphqlErrors([
      { message: 'Too many requests. Try again in a minute.', extensions: { code: 'RATE_LIMITED' } },
    ]);

    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(el('forgot-password-error')?.textContent).toContain('Too many requests');
    });
    expect(el('reset-requested')).toBeNull();
  });
});
