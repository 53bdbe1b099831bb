import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { PasswordPairComponent, passwordPair } from '../../../shared/ui/password-pair/password-pair.component';
import { IdentityApi } from '../data-access/identity.api';

/** Changes the signed-in account's password; the user stays signed in here. */
@Component({
  selector: 'sah-change-password-card',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    PasswordPairComponent,
  ],
  templateUrl: './change-password-card.component.html',
  styleUrls: ['./account-card.scss', './change-password-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChangePasswordCardComponent {
  private readonly api = inject(IdentityApi);

  protected readonly passwordForm = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    password: passwordPair(),
  });
  protected readonly changingPassword = signal(false);
  protected readonly passwordError = signal<string | null>(null);
  protected readonly passwordChanged = signal(false);

  protected changePassword(formDirective: FormGroupDirective): void {
    if (this.changingPassword()) return;
    this.passwordChanged.set(false);
    if (this.passwordForm.invalid) {
      this.passwordForm.markAllAsTouched();
      return;
    }
    const { currentPassword, password } = this.passwordForm.getRawValue();
    this.changingPassword.set(true);
    this.passwordError.set(null);
    this.passwordForm.disable();
    this.api.changePassword(currentPassword, password.newPassword).subscribe({
      next: () => {
        this.changingPassword.set(false);
        this.passwordForm.enable();
        // Clears the fields and the "submitted" state, so no "required" errors show afterwards.
        formDirective.resetForm();
        this.passwordChanged.set(true);
      },
      error: (error: unknown) => {
        this.passwordError.set(toAppError(error).message);
        this.changingPassword.set(false);
        this.passwordForm.enable();
      },
    });
  }
}
