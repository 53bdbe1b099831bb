import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { WebhooksApi } from '../data-access/webhooks.api';
import type { WebhookEndpoint } from '../data-access/webhooks.types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** "Recover failed since…": re-sends every failed delivery of one endpoint since a time, in the background. */
@Component({
  selector: 'sah-webhook-recover-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
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
        @if (error(); as message) {
          <p class="form-error" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="false" [disabled]="submitting()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="submitting()" data-testid="webhook-recover-submit">
          Recover
        </button>
      </mat-dialog-actions>
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
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  protected submit(): void {
    if (this.submitting() || this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    // datetime-local is the browser's local time; the API takes an instant.
    const since = new Date(this.form.getRawValue().since).toISOString();
    this.api.recover(this.endpoint.id, since).subscribe({
      next: () => this.dialogRef.close(true),
      error: (error: unknown) => {
        this.error.set(toAppError(error).message);
        this.submitting.set(false);
      },
    });
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
