import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DOCUMENT,
  type ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators, type AbstractControl } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { IdentityApi } from '../data-access/identity.api';
import { API_KEY_SCOPES, type CreatedApiKey } from '../data-access/identity.types';
import { requestsPerMinuteValidators } from './requests-per-minute';

export interface CreateApiKeyDialogData {
  /** Roles with `partner-keys:grant` may create keys with the partner.credits scope. */
  readonly allowPartnerScope: boolean;
  /** A key that was just rotated: the dialog opens straight on its new secret, shown once. */
  readonly rotated?: CreatedApiKey;
}

/** Closes with true when a key was created (the caller reloads its list), never with the secret. */
export type CreateApiKeyDialogResult = boolean;

export const API_KEY_LIFETIMES_DAYS: readonly number[] = [30, 90, 180, 365];

/**
 * Creates an API key and shows its secret exactly once. The secret lives only in this dialog:
 * not in the page, not in Apollo's cache; closing the dialog drops it for good.
 */
@Component({
  selector: 'sah-create-api-key-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    DialogSubmitComponent,
  ],
  templateUrl: './create-api-key-dialog.component.html',
  styleUrl: './create-api-key-dialog.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateApiKeyDialogComponent {
  private readonly api = inject(IdentityApi);
  private readonly dialogRef = inject<MatDialogRef<CreateApiKeyDialogComponent, CreateApiKeyDialogResult>>(MatDialogRef);
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly data = inject<CreateApiKeyDialogData>(MAT_DIALOG_DATA);

  protected readonly scopeOptions = API_KEY_SCOPES.filter((option) => !option.adminOnly || this.data.allowPartnerScope);
  protected readonly lifetimes = API_KEY_LIFETIMES_DAYS;

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100), notBlank]],
    // One checkbox per offered scope, in the order of `scopeOptions`.
    scopes: this.fb.array(
      this.scopeOptions.map(() => this.fb.control(false)),
      { validators: atLeastOneChecked },
    ),
    expiresInDays: [90],
    // Empty: no limit of its own.
    requestsPerMinute: this.fb.control<number | null>(null, requestsPerMinuteValidators),
  });

  protected readonly submission = formSubmission();
  protected readonly created = signal<CreatedApiKey | null>(this.data.rotated ?? null);
  protected readonly rotated = this.data.rotated !== undefined;
  protected readonly copyState = signal<'idle' | 'copied' | 'selected'>('idle');

  private readonly secretInput = viewChild<ElementRef<HTMLInputElement>>('secretInput');
  /** Set by the first submit: from then on a missing scope is pointed out at once. */
  private readonly attempted = signal(false);
  private readonly scopeValues = toSignal(this.form.controls.scopes.valueChanges, {
    initialValue: this.form.controls.scopes.value,
  });
  protected readonly scopesMissing = computed(
    () => this.attempted() && !this.submission.busy() && !this.scopeValues().some(Boolean),
  );

  constructor() {
    // A rotated key's secret is on screen from the start: only "Done" closes the dialog.
    if (this.rotated) this.dialogRef.disableClose = true;
  }

  protected submit(): void {
    this.attempted.set(true);
    const { name, scopes, expiresInDays, requestsPerMinute } = this.form.getRawValue();
    const selected = this.scopeOptions.filter((_, index) => scopes[index]).map((option) => option.scope);
    const limit = requestsPerMinute === null ? {} : { requestsPerMinute };
    this.submission.submit(
      this.form,
      () => this.api.createApiKey({ name: name.trim(), scopes: selected, expiresInDays, ...limit }),
      (created) => {
        this.created.set(created);
        // From here on the only way out is "Done", so the secret is not lost to a stray click.
        this.dialogRef.disableClose = true;
      },
    );
  }

  protected async copySecret(): Promise<void> {
    const secret = this.created()?.secret;
    if (!secret) return;
    try {
      const clipboard = this.window?.navigator.clipboard;
      if (!clipboard) throw new Error('Clipboard API unavailable');
      await clipboard.writeText(secret);
      this.copyState.set('copied');
    } catch {
      // No clipboard access (insecure origin, denied permission): select the text for Ctrl+C.
      const input = this.secretInput()?.nativeElement;
      input?.focus();
      input?.select();
      this.copyState.set('selected');
    }
  }

  protected close(): void {
    this.dialogRef.close(this.created() !== null);
  }
}

function notBlank(control: AbstractControl<string>): { blank: true } | null {
  return control.value && control.value.trim() === '' ? { blank: true } : null;
}

function atLeastOneChecked(array: AbstractControl<boolean[]>): { required: true } | null {
  return array.value.some(Boolean) ? null : { required: true };
}
