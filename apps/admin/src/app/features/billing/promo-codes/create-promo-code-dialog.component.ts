import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators, type AbstractControl } from '@angular/forms';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { Observable } from 'rxjs';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { BillingApi } from '../data-access/billing.api';
import type { CreatePromoCodeInput, PromoCode } from '../data-access/billing.types';
import { creditAmount, toAmount } from '../ui/credit-amount';

/** As the API checks them (libs/domain promo-code.ts): said here so the form can tell at once. */
export const PROMO_CODE_PATTERN = /^[A-Za-z0-9_-]{3,32}$/;
export const PROMO_MAX_USES = 1_000_000_000;
export const PROMO_MAX_VALID_DAYS = 3650;

export type CreatePromoCodeDialogResult = PromoCode | undefined;

/** A new code: credits per redemption, and optionally a use limit, an end date and lapsing credits. */
@Component({
  selector: 'sah-create-promo-code-dialog',
  imports: [
    ReactiveFormsModule,
    MatDatepickerModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    DialogSubmitComponent,
  ],
  providers: [provideNativeDateAdapter()],
  templateUrl: './create-promo-code-dialog.component.html',
  styleUrl: '../ui/billing-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreatePromoCodeDialogComponent {
  private readonly api = inject(BillingApi);
  private readonly dialogRef =
    inject<MatDialogRef<CreatePromoCodeDialogComponent, CreatePromoCodeDialogResult>>(MatDialogRef);

  protected readonly today = new Date();
  protected readonly maxUsesLimit = PROMO_MAX_USES;
  protected readonly maxValidDays = PROMO_MAX_VALID_DAYS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    code: ['', [Validators.required, Validators.pattern(PROMO_CODE_PATTERN)]],
    credits: ['', [Validators.required, creditAmount({ signed: false })]],
    maxUses: ['', wholeNumber(1, PROMO_MAX_USES)],
    expiresOn: [null as Date | null, futureDay],
    creditsValidDays: ['', wholeNumber(1, PROMO_MAX_VALID_DAYS)],
  });
  protected readonly submission = formSubmission();

  protected submit(): void {
    this.submission.submit(
      this.form,
      () => this.api.createPromoCode(toCreatePromoCodeInput(this.form.getRawValue())),
      (code) => this.dialogRef.close(code),
    );
  }
}

interface PromoCodeForm {
  readonly code: string;
  readonly credits: string;
  readonly maxUses: string;
  readonly expiresOn: Date | null;
  readonly creditsValidDays: string;
}

/** Empty optional fields are left out (unlimited / never); the end date is the end of that local day. */
export function toCreatePromoCodeInput(form: PromoCodeForm): CreatePromoCodeInput {
  const expires = form.expiresOn;
  return {
    code: form.code.trim(),
    credits: toAmount(form.credits),
    ...(form.maxUses.trim() ? { maxUses: Number(form.maxUses) } : {}),
    ...(expires
      ? { expiresAt: new Date(expires.getFullYear(), expires.getMonth(), expires.getDate() + 1).toISOString() }
      : {}),
    ...(form.creditsValidDays.trim() ? { creditsValidDays: Number(form.creditsValidDays) } : {}),
  };
}

function wholeNumber(min: number, max: number) {
  return (control: AbstractControl<string>) => {
    const text = (control.value ?? '').trim();
    if (text === '') return null;
    const value = Number(text);
    return /^\d+$/.test(text) && value >= min && value <= max ? null : { wholeNumber: true };
  };
}

function futureDay(control: AbstractControl<Date | null>) {
  const day = control.value;
  if (!day) return null;
  const endOfDay = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
  return endOfDay.getTime() > Date.now() ? null : { past: true };
}

export function openCreatePromoCode(dialog: MatDialog): Observable<CreatePromoCodeDialogResult> {
  return dialog
    .open<CreatePromoCodeDialogComponent, void, CreatePromoCodeDialogResult>(CreatePromoCodeDialogComponent, {
      width: '32rem',
      maxWidth: 'calc(100vw - 32px)',
      autoFocus: 'first-tabbable',
    })
    .afterClosed();
}
