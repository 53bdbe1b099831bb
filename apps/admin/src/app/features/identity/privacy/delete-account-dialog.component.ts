import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
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
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInputModule, DialogSubmitComponent],
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
      </mat-dialog-content>
      <sah-dialog-submit
        [submission]="submission"
        busyLabel="Deleting account"
        [destructive]="true"
        submitTestId="delete-account-confirm"
        errorTestId="delete-account-error"
      >
        Delete my account
      </sah-dialog-submit>
    </form>
  `,
  styles: `
    mat-form-field {
      width: 100%;
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
  protected readonly submission = formSubmission();

  protected confirm(): void {
    const proof = this.form.getRawValue().proof;
    this.submission.submit(
      this.form,
      () => this.api.deleteMyAccount(this.data.twoFactorEnabled ? { code: proof } : { password: proof }),
      (deleteAfter) => this.dialogRef.close(deleteAfter),
    );
  }
}
