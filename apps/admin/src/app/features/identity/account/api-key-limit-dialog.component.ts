import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { IdentityApi } from '../data-access/identity.api';
import type { ApiKey } from '../data-access/identity.types';
import { budgetUse, monthlyCreditBudgetValidators, tokensPerMinuteValidators } from './api-key-limits';
import { requestsPerMinuteValidators } from './requests-per-minute';

/** Closes with the key as changed, or undefined when nothing was saved. */
export type ApiKeyLimitDialogResult = ApiKey | undefined;

/** Sets or removes an API key's own limits: requests and tokens per minute, credits per month (an empty field removes one). */
@Component({
  selector: 'sah-api-key-limit-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    DialogSubmitComponent,
  ],
  template: `
    <h2 mat-dialog-title>Limit “{{ key.name }}”</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="api-key-limit-form">
      <mat-dialog-content>
        <p class="limit-dialog__hint">Empty fields mean no limit of the key's own (your role's limit still applies).</p>
        <mat-form-field appearance="outline">
          <mat-label>Requests per minute</mat-label>
          <input matInput type="number" min="1" step="1" formControlName="requestsPerMinute" data-testid="api-key-limit-input" />
          @if (form.controls.requestsPerMinute.invalid) {
            <mat-error data-testid="api-key-limit-requests-error">A whole number from 1 to 1,000,000, or empty.</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Tokens per minute</mat-label>
          <input matInput type="number" min="1" step="1" formControlName="tokensPerMinute" data-testid="api-key-limit-tokens" />
          <mat-hint>Counted from the prompt and the answer's cap when a call starts, corrected when it is paid.</mat-hint>
          @if (form.controls.tokensPerMinute.invalid) {
            <mat-error data-testid="api-key-limit-tokens-error">A whole number from 1 to 100,000,000, or empty.</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Monthly credit budget</mat-label>
          <input matInput type="number" min="1" step="1" formControlName="monthlyCreditBudget" data-testid="api-key-limit-budget" />
          <mat-hint>Whole credits per calendar month (UTC), calls in flight included.</mat-hint>
          @if (form.controls.monthlyCreditBudget.invalid) {
            <mat-error data-testid="api-key-limit-budget-error">Whole credits from 1 to 1,000,000,000, or empty.</mat-error>
          }
        </mat-form-field>
        @if (use; as use) {
          <div class="limit-dialog__use" data-testid="api-key-limit-spend">
            <span>{{ key.monthlySpend.month }}: {{ use.label }}</span>
            <mat-progress-bar mode="determinate" [value]="use.percent" [attr.aria-label]="'Budget used: ' + use.percent + '%'" />
          </div>
        }
      </mat-dialog-content>
      <sah-dialog-submit
        [submission]="submission"
        busyLabel="Saving limits"
        submitTestId="api-key-limit-save"
        errorTestId="api-key-limit-error"
      >
        Save
      </sah-dialog-submit>
    </form>
  `,
  styles: `
    mat-form-field {
      width: 100%;
    }
    .limit-dialog__hint {
      margin-top: 0;
    }
    .limit-dialog__use {
      display: grid;
      gap: 4px;
      margin-top: 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeyLimitDialogComponent {
  private readonly api = inject(IdentityApi);
  private readonly dialogRef = inject<MatDialogRef<ApiKeyLimitDialogComponent, ApiKeyLimitDialogResult>>(MatDialogRef);
  protected readonly key = inject<ApiKey>(MAT_DIALOG_DATA);
  protected readonly use = budgetUse(this.key);

  protected readonly form = new FormGroup({
    requestsPerMinute: new FormControl<number | null>(this.key.requestsPerMinute ?? null, requestsPerMinuteValidators),
    tokensPerMinute: new FormControl<number | null>(this.key.tokensPerMinute ?? null, tokensPerMinuteValidators),
    monthlyCreditBudget: new FormControl<number | null>(this.key.monthlyCreditBudget ?? null, monthlyCreditBudgetValidators),
  });
  protected readonly submission = formSubmission();

  protected save(): void {
    const { requestsPerMinute, tokensPerMinute, monthlyCreditBudget } = this.form.getRawValue();
    this.submission.submit(
      this.form,
      () =>
        this.api.setApiKeyLimits(this.key.id, {
          requestsPerMinute: requestsPerMinute ?? null,
          tokensPerMinute: tokensPerMinute ?? null,
          monthlyCreditBudget: monthlyCreditBudget ?? null,
        }),
      (changed) => this.dialogRef.close(changed),
    );
  }
}
