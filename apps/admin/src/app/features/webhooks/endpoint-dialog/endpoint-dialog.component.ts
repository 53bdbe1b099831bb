import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { WebhooksApi } from '../data-access/webhooks.api';
import type {
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookEventType,
} from '../data-access/webhooks.types';
import { WebhookSecretComponent } from './webhook-secret.component';

export interface EndpointDialogData {
  readonly eventTypes: readonly WebhookEventType[];
  /** Editing this endpoint; without it a new one is created. */
  readonly endpoint?: WebhookEndpoint;
  /** Admins may create platform-wide endpoints (every user's events). */
  readonly allowPlatformWide?: boolean;
  /** Opens straight on a secret just issued (a rotation), shown once. */
  readonly issued?: WebhookEndpointWithSecret;
}

/** Closes with true when something changed (the page reloads its list); never with the secret. */
export type EndpointDialogResult = boolean;

/**
 * Creates or edits a webhook endpoint, and shows a new endpoint's (or a rotated) secret exactly once:
 * it lives only in this dialog, not in the page nor in Apollo's cache.
 */
@Component({
  selector: 'sah-webhook-endpoint-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    WebhookSecretComponent,
    DialogSubmitComponent,
  ],
  templateUrl: './endpoint-dialog.component.html',
  styleUrl: '../ui/webhook-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EndpointDialogComponent {
  private readonly api = inject(WebhooksApi);
  private readonly dialogRef =
    inject<MatDialogRef<EndpointDialogComponent, EndpointDialogResult>>(MatDialogRef);
  protected readonly data = inject<EndpointDialogData>(MAT_DIALOG_DATA);

  protected readonly editing = this.data.endpoint;
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    url: [this.editing?.url ?? '', [Validators.required, Validators.maxLength(2000), httpUrl]],
    description: [this.editing?.description ?? '', [Validators.maxLength(500)]],
    // Empty: every event type, now and future ones.
    eventTypes: [[...(this.editing?.eventTypes ?? [])] as string[]],
    platformWide: [false],
  });

  protected readonly submission = formSubmission();
  protected readonly issued = signal<WebhookEndpointWithSecret | null>(this.data.issued ?? null);
  protected readonly rotated = this.data.issued !== undefined;

  constructor() {
    // A secret on screen: only "Done" closes the dialog, so it is not lost to a stray click.
    if (this.rotated) this.dialogRef.disableClose = true;
  }

  protected submit(): void {
    const { url, description, eventTypes, platformWide } = this.form.getRawValue();
    const fields = { url: url.trim(), description: description.trim(), eventTypes };
    if (this.editing) {
      const id = this.editing.id;
      this.submission.submit(
        this.form,
        () => this.api.updateEndpoint({ id, ...fields }),
        () => this.dialogRef.close(true),
      );
      return;
    }
    this.submission.submit(
      this.form,
      () => this.api.createEndpoint({ ...fields, ...(platformWide ? { platformWide } : {}) }),
      (created) => {
        this.issued.set(created);
        this.dialogRef.disableClose = true;
      },
    );
  }

  protected close(): void {
    this.dialogRef.close(this.issued() !== null);
  }
}

function httpUrl(control: AbstractControl<string>): { url: true } | null {
  const text = control.value.trim();
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : { url: true };
  } catch {
    return { url: true };
  }
}
