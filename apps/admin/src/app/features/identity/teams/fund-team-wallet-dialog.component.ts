import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { catchError, of } from 'rxjs';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { BillingApi } from '../../billing/data-access/billing.api';
import { CreditsPipe } from '../../billing/ui/credits.pipe';
import { TeamsApi } from '../data-access/teams.api';
import type { TeamWallet } from '../data-access/teams.types';
import { creditsOf, creditsValidator } from './team-credits';

export interface FundTeamWalletDialogData {
  readonly teamId: string;
  readonly teamName: string;
  /** `transfer`: from your own balance (managers, admins); `adjust`: a signed correction (admins). */
  readonly mode: 'transfer' | 'adjust';
}

/** Moves credits into a team's wallet; closes with the wallet as it now is (undefined when cancelled). */
@Component({
  selector: 'sah-fund-team-wallet-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInputModule, CreditsPipe, DialogSubmitComponent],
  template: `
    <h2 mat-dialog-title>{{ transfer ? 'Fund' : 'Adjust' }} {{ data.teamName }}’s wallet</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="team-fund-form">
      <mat-dialog-content>
        @if (transfer) {
          <p data-testid="team-fund-own-balance">
            The credits come from your own balance, in one ledger transaction.
            @if (ownBalance(); as own) {
              You have {{ own.available | credits }} credits available.
            }
          </p>
        } @else {
          <p>A signed correction of the wallet, recorded with your reason. A negative amount takes credits out.</p>
        }
        <mat-form-field appearance="outline">
          <mat-label>Credits</mat-label>
          <input matInput type="number" [min]="transfer ? 0.001 : null" step="any" formControlName="amount" data-testid="team-fund-amount" />
          @if (form.controls.amount.invalid) {
            <mat-error>{{ transfer ? 'Positive credits, at most 3 decimals.' : 'Credits other than zero, at most 3 decimals.' }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>{{ transfer ? 'Note (optional)' : 'Reason' }}</mat-label>
          <input matInput formControlName="reason" maxlength="500" data-testid="team-fund-reason" />
          @if (form.controls.reason.invalid) {
            <mat-error>Say why, in up to 500 characters.</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <sah-dialog-submit [submission]="submission" [busyLabel]="transfer ? 'Moving credits' : 'Adjusting'" submitTestId="team-fund-submit" errorTestId="team-fund-error">
        {{ transfer ? 'Move credits' : 'Adjust' }}
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
export class FundTeamWalletDialogComponent {
  private readonly api = inject(TeamsApi);
  private readonly dialogRef = inject<MatDialogRef<FundTeamWalletDialogComponent, TeamWallet>>(MatDialogRef);
  protected readonly data = inject<FundTeamWalletDialogData>(MAT_DIALOG_DATA);
  protected readonly transfer = this.data.mode === 'transfer';
  /** A convenience beside the amount: the transfer works (or is refused in words) without it. */
  protected readonly ownBalance = this.transfer
    ? toSignal(inject(BillingApi).balance().pipe(catchError(() => of(null))), { initialValue: null })
    : () => null;

  protected readonly form = new FormGroup({
    amount: new FormControl<number | null>(null, [Validators.required, creditsValidator({ signed: !this.transfer })]),
    reason: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(500), ...(this.transfer ? [] : [Validators.required, Validators.pattern(/\S/)])] }),
  });
  protected readonly submission = formSubmission();
  /**
   * The same request sent again (after a lost answer, say) keeps its key, so the credits move once;
   * another amount or reason is another request, with a key of its own.
   */
  private lastRequest: { readonly text: string; readonly key: string } | null = null;

  protected save(): void {
    const { amount, reason } = this.form.getRawValue();
    const credits = creditsOf(amount) ?? 0;
    const text = JSON.stringify([credits, reason.trim()]);
    if (this.lastRequest?.text !== text) this.lastRequest = { text, key: crypto.randomUUID() };
    const key = this.lastRequest.key;
    this.submission.submit(
      this.form,
      () =>
        this.transfer
          ? this.api.transfer(this.data.teamId, credits, key, reason.trim() || null)
          : this.api.adjust(this.data.teamId, credits, reason.trim(), key),
      (wallet) => this.dialogRef.close(wallet),
    );
  }
}
