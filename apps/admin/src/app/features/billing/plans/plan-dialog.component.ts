import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { of, type Observable } from 'rxjs';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { PlansApi } from '../data-access/plans.api';
import type { Plan } from '../data-access/plans.types';
import { creditAmount } from '../ui/credit-amount';
import {
  emptyPlanForm,
  MAX_REQUESTS_PER_MONTH,
  MAX_SEATS,
  PLAN_CODE_PATTERN,
  priceValidator,
  toCreatePlanInput,
  toPlanForm,
  toUpdatePlanInput,
  wholeNumber,
} from './plan-form';

/** Absent: a new plan. */
export type PlanDialogData = Plan | undefined;
/** The plan as saved, or undefined when nothing was. */
export type PlanDialogResult = Plan | undefined;

/** Creates a plan or edits one (its code and currency stay: checkouts and subscriptions refer to them). */
@Component({
  selector: 'sah-plan-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInputModule, DialogSubmitComponent],
  templateUrl: './plan-dialog.component.html',
  styleUrl: '../ui/billing-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlanDialogComponent {
  private readonly api = inject(PlansApi);
  private readonly dialogRef = inject<MatDialogRef<PlanDialogComponent, PlanDialogResult>>(MatDialogRef);
  protected readonly editing = inject<PlanDialogData>(MAT_DIALOG_DATA);

  protected readonly maxSeats = MAX_SEATS;
  protected readonly maxRequests = MAX_REQUESTS_PER_MONTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    code: ['', [Validators.required, Validators.pattern(PLAN_CODE_PATTERN)]],
    name: ['', [Validators.required, Validators.pattern(/\S/), Validators.maxLength(100)]],
    price: ['', [Validators.required, priceValidator]],
    monthlyCredits: ['', [Validators.required, creditAmount({ signed: false })]],
    requestsPerMonth: ['', wholeNumber(1, MAX_REQUESTS_PER_MONTH)],
    seats: ['', [Validators.required, wholeNumber(1, MAX_SEATS)]],
    stripePriceId: ['', [Validators.pattern(/^(price_[A-Za-z0-9_]+)?$/), Validators.maxLength(255)]],
  });
  protected readonly submission = formSubmission();

  constructor() {
    this.form.setValue(this.editing ? toPlanForm(this.editing) : emptyPlanForm());
    if (this.editing) this.form.controls.code.disable();
  }

  protected save(): void {
    this.submission.submit(this.form, () => this.request(), (plan) => this.dialogRef.close(plan));
  }

  /** An edit that changes nothing closes without asking the API (which would refuse it). */
  private request(): Observable<Plan | undefined> {
    const value = this.form.getRawValue();
    if (!this.editing) return this.api.createPlan(toCreatePlanInput(value));
    const input = toUpdatePlanInput(this.editing, value);
    return Object.keys(input).length > 1 ? this.api.updatePlan(input) : of(undefined);
  }
}

export function openPlanDialog(dialog: MatDialog, plan?: Plan): Observable<PlanDialogResult> {
  return dialog
    .open<PlanDialogComponent, PlanDialogData, PlanDialogResult>(PlanDialogComponent, {
      data: plan,
      width: '36rem',
      maxWidth: 'calc(100vw - 32px)',
      autoFocus: 'first-tabbable',
    })
    .afterClosed();
}
