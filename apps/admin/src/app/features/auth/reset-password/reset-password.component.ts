import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { PasswordPairComponent, passwordPair } from '../../../shared/ui/password-pair/password-pair.component';
import { IdentityApi } from '../../identity/data-access/identity.api';

@Component({
  selector: 'sah-reset-password',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressSpinnerModule,
    PasswordPairComponent,
  ],
  templateUrl: './reset-password.component.html',
  styleUrl: '../auth-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetPasswordComponent {
  private readonly api = inject(IdentityApi);

  /** From the e-mailed link: /admin/reset-password?token=… */
  readonly token = input<string>();

  protected readonly form = new FormGroup({ password: passwordPair() });

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
    this.api.resetPassword(token, this.form.getRawValue().password.newPassword).subscribe({
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
