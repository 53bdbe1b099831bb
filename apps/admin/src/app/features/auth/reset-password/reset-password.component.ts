import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { IdentityApi } from '../../identity/data-access/identity.api';
import { passwordsMatch, strongPassword } from '../password-rules';
import { PasswordRulesComponent } from '../password-rules.component';

@Component({
  selector: 'sah-reset-password',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    PasswordRulesComponent,
  ],
  templateUrl: './reset-password.component.html',
  styleUrl: '../auth-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetPasswordComponent {
  private readonly api = inject(IdentityApi);

  /** From the e-mailed link: /admin/reset-password?token=… */
  readonly token = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      newPassword: ['', [Validators.required, Validators.maxLength(128), strongPassword]],
      confirmPassword: ['', Validators.required],
    },
    { validators: passwordsMatch },
  );
  protected readonly password = toSignal(this.form.controls.newPassword.valueChanges, { initialValue: '' });

  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly done = signal(false);

  protected submit(): void {
    const token = this.token();
    if (this.submitting() || !token) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    this.form.disable();
    this.api.resetPassword(token, this.form.getRawValue().newPassword).subscribe({
      next: () => {
        this.done.set(true);
        this.submitting.set(false);
      },
      error: (error: unknown) => {
        this.error.set(toAppError(error).message);
        this.submitting.set(false);
        this.form.enable();
      },
    });
  }
}
