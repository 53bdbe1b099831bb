import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
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
import { CreditsPipe } from '../ui/credits.pipe';
import { TransactionTypePipe } from '../ui/transaction-type.pipe';
import { REASON_MAX_LENGTH } from './adjust-credits-dialog.component';

/** Closes with the refund's transaction, or undefined when cancelled. */
export type RefundDialogResult = CreditTransaction | undefined;

/**
 * Gives back all or part of a debit. The API refuses more than what is left to refund (earlier
 * partial refunds count), so the dialog does not second-guess the amount beyond its format.
 */
@Component({
  selector: 'sah-refund-dialog',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    CreditsPipe,
    TransactionTypePipe,
    DialogSubmitComponent,
  ],
  templateUrl: './refund-dialog.component.html',
  styleUrl: '../ui/billing-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RefundDialogComponent {
  private readonly api = inject(BillingApi);
  private readonly dialogRef = inject<MatDialogRef<RefundDialogComponent, RefundDialogResult>>(MatDialogRef);
  protected readonly transaction = inject<CreditTransaction>(MAT_DIALOG_DATA);

  protected readonly form = inject(NonNullableFormBuilder).group({
    amount: ['', creditAmount({ signed: false })],
    reason: ['', [Validators.required, Validators.maxLength(REASON_MAX_LENGTH), Validators.pattern(/\S/)]],
  });
  protected readonly reasonMax = REASON_MAX_LENGTH;
  protected readonly submission = formSubmission();
  /** One key per dialog: submitting again after a lost answer cannot refund twice. */
  private readonly idempotencyKey = crypto.randomUUID();

  protected submit(): void {
    const { amount, reason } = this.form.getRawValue();
    this.submission.submit(
      this.form,
      () =>
        this.api.refundTransaction({
          transactionId: this.transaction.id,
          ...(amount.trim() ? { amount: toAmount(amount) } : {}),
          reason: reason.trim(),
          idempotencyKey: this.idempotencyKey,
        }),
      (refund) => this.dialogRef.close(refund),
    );
  }
}

export function openRefund(dialog: MatDialog, transaction: CreditTransaction): Observable<RefundDialogResult> {
  return dialog
    .open<RefundDialogComponent, CreditTransaction, RefundDialogResult>(RefundDialogComponent, {
      data: transaction,
      width: '32rem',
      maxWidth: 'calc(100vw - 32px)',
      autoFocus: 'first-tabbable',
    })
    .afterClosed();
}
