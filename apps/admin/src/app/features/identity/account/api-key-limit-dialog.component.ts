import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { IdentityApi } from '../data-access/identity.api';
import type { ApiKey } from '../data-access/identity.types';
import { requestsPerMinuteValidators } from './requests-per-minute';

/** Closes with the key as changed, or undefined when nothing was saved. */
export type ApiKeyLimitDialogResult = ApiKey | undefined;

/** Sets or removes an API key's own requests-per-minute limit (an empty field removes it). */
@Component({
  selector: 'sah-api-key-limit-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatProgressSpinnerModule],
  template: `
    <h2 mat-dialog-title>Limit “{{ key.name }}”</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="api-key-limit-form">
      <mat-dialog-content>
        <mat-form-field appearance="outline">
          <mat-label>Requests per minute</mat-label>
          <input matInput type="number" min="1" step="1" formControlName="limit" data-testid="api-key-limit-input" />
          <mat-hint>Empty: no limit of its own (your role's limit still applies).</mat-hint>
          @if (form.controls.limit.invalid) {
            <mat-error>A whole number from 1 to 1,000,000, or empty.</mat-error>
          }
        </mat-form-field>
        @if (error(); as message) {
          <p class="limit-dialog__error" role="alert" data-testid="api-key-limit-error">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close [disabled]="saving()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()" data-testid="api-key-limit-save">
          @if (saving()) {
            <mat-progress-spinner mode="indeterminate" diameter="18" aria-label="Saving limit" />
          }
          Save
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-form-field {
      width: 100%;
    }
    .limit-dialog__error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeyLimitDialogComponent {
  private readonly api = inject(IdentityApi);
  private readonly dialogRef = inject<MatDialogRef<ApiKeyLimitDialogComponent, ApiKeyLimitDialogResult>>(MatDialogRef);
  protected readonly key = inject<ApiKey>(MAT_DIALOG_DATA);

  protected readonly form = new FormGroup({
    limit: new FormControl<number | null>(this.key.requestsPerMinute ?? null, requestsPerMinuteValidators),
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected save(): void {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    this.api.setApiKeyRequestsPerMinute(this.key.id, this.form.controls.limit.value ?? null).subscribe({
      next: (changed) => this.dialogRef.close(changed),
      error: (error: unknown) => {
        this.error.set(toAppError(error).message);
        this.saving.set(false);
      },
    });
  }
}
