import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { Observable } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
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
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    CreditsPipe,
    TransactionTypePipe,
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
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  /** One key per dialog: submitting again after a lost answer cannot refund twice. */
  private readonly idempotencyKey = crypto.randomUUID();

  protected submit(): void {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { amount, reason } = this.form.getRawValue();
    this.submitting.set(true);
    this.error.set(null);
    this.form.disable();
    this.api
      .refundTransaction({
        transactionId: this.transaction.id,
        ...(amount.trim() ? { amount: toAmount(amount) } : {}),
        reason: reason.trim(),
        idempotencyKey: this.idempotencyKey,
      })
      .subscribe({
        next: (refund) => this.dialogRef.close(refund),
        error: (error: unknown) => {
          this.error.set(toAppError(error).message);
          this.submitting.set(false);
          this.form.enable();
        },
      });
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
