import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Observable } from 'rxjs';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { BillingApi } from '../data-access/billing.api';
import type { CreditTransaction } from '../data-access/billing.types';
import { creditAmount, toAmount } from '../ui/credit-amount';
import { describeUser, UserPickerComponent, type PickedUser } from '../ui/user-picker.component';

export interface AdjustCreditsDialogData {
  /** The account to adjust; without it the dialog asks for one. */
  readonly user?: PickedUser;
}

/** Closes with the adjustment's transaction, or undefined when cancelled. */
export type AdjustCreditsDialogResult = CreditTransaction | undefined;

export const REASON_MAX_LENGTH = 500;

/** Adds (positive) or takes away (negative) credits with a reason, which the ledger keeps. */
@Component({
  selector: 'sah-adjust-credits-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    UserPickerComponent,
    DialogSubmitComponent,
  ],
  templateUrl: './adjust-credits-dialog.component.html',
  styleUrl: '../ui/billing-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdjustCreditsDialogComponent {
  private readonly api = inject(BillingApi);
  private readonly dialogRef =
    inject<MatDialogRef<AdjustCreditsDialogComponent, AdjustCreditsDialogResult>>(MatDialogRef);
  protected readonly data = inject<AdjustCreditsDialogData>(MAT_DIALOG_DATA);

  protected readonly form = inject(NonNullableFormBuilder).group({
    amount: ['', [Validators.required, creditAmount({ signed: true })]],
    reason: ['', [Validators.required, Validators.maxLength(REASON_MAX_LENGTH), Validators.pattern(/\S/)]],
  });
  protected readonly reasonMax = REASON_MAX_LENGTH;
  protected readonly user = signal<PickedUser | null>(this.data.user ?? null);
  protected readonly userMissing = signal(false);
  protected readonly describeUser = describeUser;
  protected readonly submission = formSubmission();
  /** One key per dialog: submitting again after a lost answer replays the adjustment, never repeats it. */
  private readonly idempotencyKey = crypto.randomUUID();

  protected pick(user: PickedUser | null): void {
    this.user.set(user);
    if (user) this.userMissing.set(false);
  }

  protected submit(): void {
    if (this.submission.busy()) return;
    const user = this.user();
    this.userMissing.set(!user);
    if (!user) {
      this.form.markAllAsTouched();
      return;
    }
    const { amount, reason } = this.form.getRawValue();
    this.submission.submit(
      this.form,
      () =>
        this.api.adjustCredits({
          userId: user.id,
          amount: toAmount(amount),
          reason: reason.trim(),
          idempotencyKey: this.idempotencyKey,
        }),
      (transaction) => this.dialogRef.close(transaction),
    );
  }
}

/** Opens the dialog; emits the transaction once if credits were adjusted. */
export function openAdjustCredits(dialog: MatDialog, data: AdjustCreditsDialogData): Observable<AdjustCreditsDialogResult> {
  return dialog
    .open<AdjustCreditsDialogComponent, AdjustCreditsDialogData, AdjustCreditsDialogResult>(
      AdjustCreditsDialogComponent,
      { data, width: '32rem', maxWidth: 'calc(100vw - 32px)', autoFocus: 'first-tabbable' },
    )
    .afterClosed();
}
