import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { TwoFactorApi } from '../data-access/two-factor.api';
import { SignInSessionsComponent } from '../sign-in-sessions/sign-in-sessions.component';
import { TwoFactorEnrolmentComponent } from './two-factor-enrolment.component';

/**
 * My account → Security: turn two-factor sign-in on (authenticator app + recovery codes) or off, and
 * the active sessions (sign-in-sessions.component).
 */
@Component({
  selector: 'sah-security-card',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    ErrorStateComponent,
    TwoFactorEnrolmentComponent,
    SignInSessionsComponent,
  ],
  templateUrl: './security-card.component.html',
  styleUrls: ['../account/account-card.scss', './two-factor.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SecurityCardComponent {
  private readonly api = inject(TwoFactorApi);

  private readonly attempt = signal(0);
  protected readonly state = toSignal(
    toObservable(this.attempt).pipe(switchMap(() => toLoadState(this.api.myStatus()))),
    {
      initialValue: LOADING as LoadState<boolean>,
    },
  );
  protected readonly enabled = computed(() => {
    const state = this.state();
    return state.status === 'ready' && state.value;
  });
  protected readonly enrolling = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Turning off takes a code, or the password for someone without their phone at hand. */
  protected readonly withPassword = signal(false);
  protected readonly disableForm = inject(NonNullableFormBuilder).group({ proof: ['', Validators.required] });

  protected reload(): void {
    this.attempt.update((n) => n + 1);
  }

  protected enrolled(): void {
    this.enrolling.set(false);
    this.reload();
  }

  protected toggleProof(): void {
    this.withPassword.update((on) => !on);
    this.disableForm.reset();
    this.error.set(null);
  }

  protected disable(formDirective: FormGroupDirective): void {
    if (this.busy()) return;
    if (this.disableForm.invalid) {
      this.disableForm.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const proof = this.disableForm.getRawValue().proof;
    this.api.disable(this.withPassword() ? { password: proof } : { code: proof.trim() }).subscribe({
      next: () => {
        this.busy.set(false);
        formDirective.resetForm();
        this.reload();
      },
      error: (error: unknown) => {
        this.error.set(toAppError(error).message);
        this.busy.set(false);
      },
    });
  }
}
