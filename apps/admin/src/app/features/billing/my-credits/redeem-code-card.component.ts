import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { BillingApi } from '../data-access/billing.api';
import type { RedeemedPromoCode } from '../data-access/billing.types';
import { CreditsPipe } from '../ui/credits.pipe';

/** Redeems a promo code for the signed-in account (once per code; any case). */
@Component({
  selector: 'sah-redeem-code-card',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    CreditsPipe,
  ],
  templateUrl: './redeem-code-card.component.html',
  styleUrls: ['../../identity/account/account-card.scss', './redeem-code-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RedeemCodeCardComponent {
  private readonly api = inject(BillingApi);

  /** After a successful redemption: the page refreshes what shows the balance. */
  readonly redeemed = output<RedeemedPromoCode>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    code: ['', [Validators.required, Validators.maxLength(32), Validators.pattern(/\S/)]],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly result = signal<RedeemedPromoCode | null>(null);

  protected submit(): void {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    this.result.set(null);
    this.form.disable();
    this.api.redeemPromoCode(this.form.getRawValue().code.trim()).subscribe({
      next: (redemption) => {
        this.submitting.set(false);
        this.result.set(redemption);
        this.form.enable();
        this.form.reset();
        this.redeemed.emit(redemption);
      },
      error: (error: unknown) => {
        this.submitting.set(false);
        this.error.set(toAppError(error).message);
        this.form.enable();
      },
    });
  }
}
