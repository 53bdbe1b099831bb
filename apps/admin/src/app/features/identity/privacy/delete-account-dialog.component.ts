import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { AccountDeletionApi } from '../data-access/account-deletion.api';

export interface DeleteAccountDialogData {
  /** With two-factor sign-in on, the server asks for a code rather than the password. */
  readonly twoFactorEnabled: boolean;
}

/** Closes with when the account is erased (an ISO date), or undefined when nothing was deleted. */
export type DeleteAccountDialogResult = string | undefined;

/** Confirms deleting one's own account with the password, or a code when two-factor sign-in is on. */
@Component({
  selector: 'sah-delete-account-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatProgressSpinnerModule],
  template: `
    <h2 mat-dialog-title>Delete your account?</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate data-testid="delete-account-form">
      <mat-dialog-content>
        <p data-testid="delete-account-explanation">
          Your account stops working at once: you are signed out everywhere and your API keys are refused. It and
          your personal data are erased after a grace period (30 days unless your administrator set another).
          Signing in again before then cancels the deletion.
        </p>
        <mat-form-field appearance="outline">
          <mat-label>{{ data.twoFactorEnabled ? 'Authenticator or recovery code' : 'Password' }}</mat-label>
          <input
            matInput
            [type]="data.twoFactorEnabled ? 'text' : 'password'"
            formControlName="proof"
            [autocomplete]="data.twoFactorEnabled ? 'one-time-code' : 'current-password'"
            data-testid="delete-account-proof"
          />
          @if (form.controls.proof.invalid) {
            <mat-error>{{ data.twoFactorEnabled ? 'Enter a code.' : 'Enter your password.' }}</mat-error>
          }
        </mat-form-field>
        @if (error(); as message) {
          <p class="delete-account__error" role="alert" data-testid="delete-account-error">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close [disabled]="deleting()">Cancel</button>
        <button mat-flat-button type="submit" class="delete-account__confirm" [disabled]="deleting()" data-testid="delete-account-confirm">
          @if (deleting()) {
            <mat-progress-spinner mode="indeterminate" diameter="18" aria-label="Deleting account" />
          }
          Delete my account
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-form-field {
      width: 100%;
    }
    .delete-account__error {
      color: var(--mat-sys-error);
    }
    .delete-account__confirm {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteAccountDialogComponent {
  private readonly api = inject(AccountDeletionApi);
  private readonly dialogRef =
    inject<MatDialogRef<DeleteAccountDialogComponent, DeleteAccountDialogResult>>(MatDialogRef);
  protected readonly data = inject<DeleteAccountDialogData>(MAT_DIALOG_DATA);

  protected readonly form = inject(NonNullableFormBuilder).group({ proof: ['', Validators.required] });
  protected readonly deleting = signal(false);
  protected readonly error = signal<string | null>(null);

  protected confirm(): void {
    if (this.deleting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.deleting.set(true);
    this.error.set(null);
    const proof = this.form.getRawValue().proof;
    this.api.deleteMyAccount(this.data.twoFactorEnabled ? { code: proof } : { password: proof }).subscribe({
      next: (deleteAfter) => this.dialogRef.close(deleteAfter),
      error: (error: unknown) => {
        this.error.set(toAppError(error).message);
        this.deleting.set(false);
      },
    });
  }
}
