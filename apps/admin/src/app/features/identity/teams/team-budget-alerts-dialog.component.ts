import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { TeamsApi } from '../data-access/teams.api';
import type { TeamWallet } from '../data-access/teams.types';
import { parseThresholds, THRESHOLDS_PROBLEMS, thresholdsValidator, type ThresholdsProblem } from './budget-alert-thresholds';

export interface TeamBudgetAlertsDialogData {
  readonly teamId: string;
  readonly teamName: string;
  /** The thresholds in force: the team's own, else the platform's default. */
  readonly thresholds: readonly number[];
  readonly custom: boolean;
}

/**
 * The percentages of the team's monthly cap at which its managers are alerted (once each per month):
 * the team's own list, none (an empty field), or back to the platform's default. Closes with the
 * wallet as it now is.
 */
@Component({
  selector: 'sah-team-budget-alerts-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatCheckboxModule, DialogSubmitComponent],
  template: `
    <h2 mat-dialog-title>Budget alerts for {{ data.teamName }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="team-alerts-form">
      <mat-dialog-content>
        <p>
          The team’s managers are mailed (and their webhooks called) when the month’s spending reaches each percentage of
          the team’s monthly cap, once per percentage and month.
        </p>
        <mat-checkbox formControlName="useDefault" data-testid="team-alerts-default">Use the platform’s default</mat-checkbox>
        <mat-form-field appearance="outline">
          <mat-label>Percentages of the monthly cap</mat-label>
          <input matInput formControlName="thresholds" autocomplete="off" data-testid="team-alerts-thresholds" />
          <mat-hint>Whole numbers from 1 to 100, separated by commas; empty for no alerts.</mat-hint>
          @if (problem(); as message) {
            <mat-error data-testid="team-alerts-invalid">{{ message }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <sah-dialog-submit [submission]="submission" busyLabel="Saving alerts" submitTestId="team-alerts-save" errorTestId="team-alerts-error">
        Save
      </sah-dialog-submit>
    </form>
  `,
  styles: `
    mat-form-field {
      width: 100%;
      margin-top: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamBudgetAlertsDialogComponent {
  private readonly api = inject(TeamsApi);
  private readonly dialogRef = inject<MatDialogRef<TeamBudgetAlertsDialogComponent, TeamWallet>>(MatDialogRef);
  protected readonly data = inject<TeamBudgetAlertsDialogData>(MAT_DIALOG_DATA);

  protected readonly form = new FormGroup({
    useDefault: new FormControl(!this.data.custom, { nonNullable: true }),
    thresholds: new FormControl(
      { value: this.data.thresholds.join(', '), disabled: !this.data.custom },
      { nonNullable: true, validators: thresholdsValidator() },
    ),
  });
  protected readonly submission = formSubmission();

  /** Read as the field changes: typing marks this view for checking. */
  protected problem(): string | null {
    const problem = this.form.controls.thresholds.errors?.['thresholds'] as ThresholdsProblem | undefined;
    return problem ? THRESHOLDS_PROBLEMS[problem] : null;
  }

  constructor() {
    // The default's own list stays visible, greyed, until the team sets its own.
    this.form.controls.useDefault.valueChanges.subscribe((useDefault) => {
      const field = this.form.controls.thresholds;
      if (useDefault) field.disable();
      else field.enable();
    });
  }

  protected save(): void {
    const { useDefault } = this.form.getRawValue();
    const parsed = parseThresholds(this.form.controls.thresholds.value);
    const thresholds = useDefault || 'problem' in parsed ? null : parsed.thresholds;
    this.submission.submit(
      this.form,
      () => this.api.setBudgetAlerts(this.data.teamId, thresholds),
      (wallet) => this.dialogRef.close(wallet),
    );
  }
}

