import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
} from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { WebhooksApi } from '../data-access/webhooks.api';
import type { WebhookEndpoint } from '../data-access/webhooks.types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** "Recover failed since…": re-sends every failed delivery of one endpoint since a time, in the background. */
@Component({
  selector: 'sah-webhook-recover-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInputModule, DialogSubmitComponent],
  template: `
    <h2 mat-dialog-title>Recover failed deliveries</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="webhook-dialog">
        <p>
          Every delivery to <span class="list-code">{{ endpoint.url }}</span> that failed since this time is
          sent again, with its original <code>webhook-id</code>, as one background job.
        </p>
        <mat-form-field appearance="outline">
          <mat-label>Failed since</mat-label>
          <input matInput type="datetime-local" formControlName="since" data-testid="webhook-recover-since" />
          @if (form.controls.since.invalid) {
            <mat-error>Choose a time in the past.</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <sah-dialog-submit
        [submission]="submission"
        busyLabel="Recovering"
        submitTestId="webhook-recover-submit"
      >
        Recover
      </sah-dialog-submit>
    </form>
  `,
  styleUrl: '../ui/webhook-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RecoverDialogComponent {
  private readonly api = inject(WebhooksApi);
  private readonly dialogRef = inject<MatDialogRef<RecoverDialogComponent, boolean>>(MatDialogRef);
  protected readonly endpoint = inject<WebhookEndpoint>(MAT_DIALOG_DATA);

  protected readonly form = inject(NonNullableFormBuilder).group({
    since: [localDateTime(new Date(Date.now() - DAY_MS)), [Validators.required, inThePast]],
  });
  protected readonly submission = formSubmission();

  protected submit(): void {
    this.submission.submit(
      this.form,
      // datetime-local is the browser's local time; the API takes an instant.
      () => this.api.recover(this.endpoint.id, new Date(this.form.getRawValue().since).toISOString()),
      () => this.dialogRef.close(true),
    );
  }
}

/** A date as a datetime-local value ("2026-03-01T09:30"), in local time. */
function localDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function inThePast(control: AbstractControl<string>): { future: true } | null {
  const time = Date.parse(control.value);
  return Number.isNaN(time) || time > Date.now() ? { future: true } : null;
}
