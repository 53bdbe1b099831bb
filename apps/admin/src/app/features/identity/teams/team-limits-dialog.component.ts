import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { TeamsApi } from '../data-access/teams.api';
import type { TeamWallet } from '../data-access/teams.types';
import { creditsOf, creditsValidator } from './team-credits';

/** A member's daily and monthly limits, or (without `member`) the team's monthly cap. */
export interface TeamLimitsDialogData {
  readonly teamId: string;
  readonly teamName: string;
  readonly member?: { readonly userId: string; readonly name: string; readonly dailyCredits: number | null; readonly monthlyCredits: number | null };
  readonly monthlyCap?: number | null;
}

/** Sets limits on a team's wallet; an empty field removes one. Closes with the wallet as it now is. */
@Component({
  selector: 'sah-team-limits-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInputModule, DialogSubmitComponent],
  template: `
    <h2 mat-dialog-title>{{ data.member ? 'Limits for ' + data.member.name : data.teamName + '’s monthly cap' }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="team-limits-form">
      <mat-dialog-content>
        <p>
          Credits spent from the team’s wallet, calls under way included, per UTC day and calendar month. A call that
          would go past a limit is refused before it starts. Empty means no limit.
        </p>
        @if (data.member) {
          <mat-form-field appearance="outline">
            <mat-label>Credits per day</mat-label>
            <input matInput type="number" min="0.001" step="any" formControlName="daily" data-testid="team-limit-daily" />
            @if (form.controls.daily.invalid) {
              <mat-error>Positive credits, at most 3 decimals, or empty.</mat-error>
            }
          </mat-form-field>
        }
        <mat-form-field appearance="outline">
          <mat-label>{{ data.member ? 'Credits per month' : 'Team credits per month' }}</mat-label>
          <input matInput type="number" min="0.001" step="any" formControlName="monthly" data-testid="team-limit-monthly" />
          @if (form.controls.monthly.invalid) {
            <mat-error>Positive credits, at most 3 decimals, or empty.</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <sah-dialog-submit [submission]="submission" busyLabel="Saving limits" submitTestId="team-limits-save" errorTestId="team-limits-error">
        Save
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
export class TeamLimitsDialogComponent {
  private readonly api = inject(TeamsApi);
  private readonly dialogRef = inject<MatDialogRef<TeamLimitsDialogComponent, TeamWallet>>(MatDialogRef);
  protected readonly data = inject<TeamLimitsDialogData>(MAT_DIALOG_DATA);

  protected readonly form = new FormGroup({
    daily: new FormControl<number | null>(this.data.member?.dailyCredits ?? null, creditsValidator()),
    monthly: new FormControl<number | null>((this.data.member ? this.data.member.monthlyCredits : this.data.monthlyCap) ?? null, creditsValidator()),
  });
  protected readonly submission = formSubmission();

  protected save(): void {
    const daily = creditsOf(this.form.controls.daily.value);
    const monthly = creditsOf(this.form.controls.monthly.value);
    const member = this.data.member;
    this.submission.submit(
      this.form,
      () =>
        member
          ? this.api.setMemberLimits(this.data.teamId, member.userId, { dailyCredits: daily, monthlyCredits: monthly })
          : this.api.setMonthlyCap(this.data.teamId, monthly),
      (wallet) => this.dialogRef.close(wallet),
    );
  }
}
