import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router, RouterLink } from '@angular/router';

import { AuthSession } from '../../../core/auth/auth-session.service';
import { hasSession, type TwoFactorChallenge } from '../../../core/auth/auth.types';
import { toAppError } from '../../../core/graphql/graphql-errors';
import type { TwoFactorConfirmation } from '../../identity/data-access/two-factor.api';
import { TwoFactorEnrolmentComponent } from '../../identity/two-factor/two-factor-enrolment.component';

@Component({
  selector: 'sah-login',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    RouterLink,
    TwoFactorEnrolmentComponent,
  ],
  templateUrl: './login.component.html',
  styleUrl: '../auth-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginComponent implements OnInit {
  private readonly session = inject(AuthSession);
  private readonly router = inject(Router);

  /** Bound from the `returnUrl` query parameter set by the auth guard. */
  readonly returnUrl = input<string>();
  /** Set by the API after Google sign-in: a one-time code to exchange for a session. */
  readonly code = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  /** The second step (code from the app, or enrolment where policy requires it), once the password was right. */
  protected readonly challenge = signal<TwoFactorChallenge | null>(null);
  protected readonly codeForm = inject(NonNullableFormBuilder).group({ code: ['', Validators.required] });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    const code = this.code();
    if (!code) return;
    this.submitting.set(true);
    this.form.disable();
    this.session.signInWithCode(code).subscribe({
      next: (challenge) => this.signedInOr(challenge, '/'),
      error: (error: unknown) => this.fail(error),
    });
  }

  protected submit(): void {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.submitting.set(true);
    this.error.set(null);
    this.form.disable();
    this.session.signIn(email.trim(), password).subscribe({
      next: (challenge) => this.signedInOr(challenge, safeReturnUrl(this.returnUrl())),
      error: (error: unknown) => this.fail(error),
    });
  }

  protected submitCode(): void {
    const challenge = this.challenge();
    if (this.submitting() || !challenge) return;
    if (this.codeForm.invalid) {
      this.codeForm.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    this.session
      .completeTwoFactorSignIn(challenge.challengeToken, this.codeForm.getRawValue().code.trim())
      .subscribe({
        next: () => void this.router.navigateByUrl(safeReturnUrl(this.returnUrl())),
        error: (error: unknown) => {
          const appError = toAppError(error);
          this.error.set(appError.message);
          this.submitting.set(false);
          // Locked out (or suspended meanwhile): the message stays, the form goes back to the password.
          if (appError.code !== 'UNAUTHENTICATED') this.restart(appError.message);
        },
      });
  }

  /** An enrolment required by policy ended with the recovery codes saved: its session begins. */
  protected enrolled(confirmation: TwoFactorConfirmation): void {
    const session = confirmation.session;
    if (!session || !hasSession(session))
      return this.restart('Two-factor sign-in is on: sign in again with a code.');
    this.session.beginSession(session);
    void this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }

  protected restart(message: string | null = null): void {
    this.error.set(message);
    this.challenge.set(null);
    this.codeForm.reset();
    this.submitting.set(false);
    this.form.enable();
  }

  private signedInOr(challenge: TwoFactorChallenge | null, url: string): void {
    if (!challenge) {
      void this.router.navigateByUrl(url);
      return;
    }
    this.challenge.set(challenge);
    this.submitting.set(false);
  }

  private fail(error: unknown): void {
    this.error.set(toAppError(error).message);
    this.submitting.set(false);
    this.form.enable();
  }
}

/** Only same-app paths: an open redirect to another origin would make phishing links look legit. */
function safeReturnUrl(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login') ? url : '/';
}
