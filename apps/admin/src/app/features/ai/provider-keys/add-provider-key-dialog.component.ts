import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { Observable } from 'rxjs';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { AiApi } from '../data-access/ai.api';
import { AI_PROVIDERS, type AiChannel, type AiProvider, type ProviderKey } from '../data-access/ai.types';
import { PROVIDER_LABELS } from '../ui/ai-labels';

export const KEY_LABEL_MAX_LENGTH = 100;
/** As the API checks them: real keys are single tokens of 8 to 500 characters. */
export const API_KEY_MAX_LENGTH = 500;
const API_KEY_PATTERN = /^\s*\S{8,}\s*$/;

export type AddProviderKeyDialogResult = ProviderKey | undefined;

/** With a channel, the key is that channel's (its protocol is the channel's); without, a provider's. */
export interface AddProviderKeyDialogData {
  channel?: Pick<AiChannel, 'id' | 'name'>;
}

/**
 * A new provider credential, for a provider or one channel. The key is typed into a password field
 * and sent once; the form is cleared when the dialog closes, and lists only ever show its last four
 * characters.
 */
@Component({
  selector: 'sah-add-provider-key-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    DialogSubmitComponent,
  ],
  template: `
    <h2 mat-dialog-title>{{ channel ? 'Add a key to ' + channel.name : 'Add a provider key' }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="provider-key-form">
      <mat-dialog-content class="ai-dialog">
        @if (!channel) {
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Provider</mat-label>
            <mat-select formControlName="provider" data-testid="provider-key-provider">
              @for (provider of providers; track provider) {
                <mat-option [value]="provider">{{ providerLabels[provider] }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        }

        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Label</mat-label>
          <input
            matInput
            formControlName="label"
            [maxlength]="labelMaxLength"
            autocomplete="off"
            placeholder="e.g. Production account"
            data-testid="provider-key-label"
          />
          <mat-hint>Tells keys apart; the key itself is never shown again.</mat-hint>
          @if (form.controls.label.invalid) {
            <mat-error>Give the key a label.</mat-error>
          }
        </mat-form-field>

        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>API key</mat-label>
          <input
            matInput
            formControlName="apiKey"
            [type]="revealed() ? 'text' : 'password'"
            [maxlength]="apiKeyMaxLength"
            autocomplete="off"
            spellcheck="false"
            data-testid="provider-key-secret"
          />
          <button
            mat-icon-button
            matIconSuffix
            type="button"
            (click)="revealed.set(!revealed())"
            [attr.aria-label]="revealed() ? 'Hide the key' : 'Show the key'"
            [attr.aria-pressed]="revealed()"
          >
            <mat-icon>{{ revealed() ? 'visibility_off' : 'visibility' }}</mat-icon>
          </button>
          <mat-hint>Stored encrypted. After saving only its last four characters are shown.</mat-hint>
          @if (form.controls.apiKey.invalid) {
            <mat-error>Paste the whole key: at least 8 characters, no spaces.</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <sah-dialog-submit
        [submission]="submission"
        busyLabel="Saving the key"
        submitTestId="provider-key-submit"
        errorTestId="provider-key-error"
      >
        Save key
      </sah-dialog-submit>
    </form>
  `,
  styleUrl: '../ui/ai-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AddProviderKeyDialogComponent {
  private readonly api = inject(AiApi);
  private readonly dialogRef = inject<MatDialogRef<AddProviderKeyDialogComponent, AddProviderKeyDialogResult>>(MatDialogRef);
  protected readonly channel = inject<AddProviderKeyDialogData | null>(MAT_DIALOG_DATA, { optional: true })?.channel;

  protected readonly providers = AI_PROVIDERS;
  protected readonly providerLabels = PROVIDER_LABELS;
  protected readonly labelMaxLength = KEY_LABEL_MAX_LENGTH;
  protected readonly apiKeyMaxLength = API_KEY_MAX_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    provider: ['openai' as AiProvider, Validators.required],
    label: ['', [Validators.required, Validators.pattern(/\S/)]],
    apiKey: ['', [Validators.required, Validators.pattern(API_KEY_PATTERN)]],
  });
  protected readonly revealed = signal(false);
  protected readonly submission = formSubmission();

  constructor() {
    // The secret should not outlive the dialog in a form model.
    this.dialogRef.beforeClosed().subscribe(() => this.form.reset());
  }

  protected submit(): void {
    const { provider, label, apiKey } = this.form.getRawValue();
    const key = { label: label.trim(), apiKey: apiKey.trim() };
    const channel = this.channel;
    this.submission.submit(
      this.form,
      () => (channel ? this.api.addChannelKey(channel.id, key.label, key.apiKey) : this.api.addProviderKey({ provider, ...key })),
      (added) => this.dialogRef.close(added),
    );
  }
}

export function openAddProviderKey(dialog: MatDialog, data: AddProviderKeyDialogData = {}): Observable<AddProviderKeyDialogResult> {
  return dialog
    .open<AddProviderKeyDialogComponent, AddProviderKeyDialogData, AddProviderKeyDialogResult>(AddProviderKeyDialogComponent, {
      data,
      width: '32rem',
      maxWidth: 'calc(100vw - 32px)',
      autoFocus: 'first-tabbable',
    })
    .afterClosed();
}
