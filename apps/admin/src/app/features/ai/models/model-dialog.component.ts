import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import type { Observable } from 'rxjs';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { AiApi } from '../data-access/ai.api';
import { AI_PROVIDERS, type AiModel } from '../data-access/ai.types';
import { PROVIDER_LABELS } from '../ui/ai-labels';
import {
  aliasesValidator,
  MAX_ALIASES,
  emptyModelForm,
  MAX_TOKENS_LIMIT,
  modelIdValidator,
  outputFitsContext,
  priceValidator,
  toCreateModelInput,
  toModelForm,
  toUpdateModelInput,
  tokensValidator,
} from './model-form';

export interface ModelDialogData {
  /** Absent: a new model. */
  readonly model?: AiModel;
  /** The catalogue, for the fallback choice. */
  readonly models: readonly AiModel[];
}

export type ModelDialogResult = AiModel | undefined;

/** Creates a catalogue entry or edits one (its id stays: clients and usage records refer to it). */
@Component({
  selector: 'sah-model-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    DialogSubmitComponent,
  ],
  templateUrl: './model-dialog.component.html',
  styleUrls: ['../ui/ai-dialog.scss', './model-dialog.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ModelDialogComponent {
  private readonly api = inject(AiApi);
  private readonly dialogRef = inject<MatDialogRef<ModelDialogComponent, ModelDialogResult>>(MatDialogRef);
  private readonly data = inject<ModelDialogData>(MAT_DIALOG_DATA);

  protected readonly editing = this.data.model;
  protected readonly providers = AI_PROVIDERS;
  protected readonly providerLabels = PROVIDER_LABELS;
  protected readonly maxTokens = MAX_TOKENS_LIMIT;
  protected readonly maxAliases = MAX_ALIASES;
  /** A model cannot fall back to itself. */
  protected readonly fallbackChoices = computed(() =>
    this.data.models.filter((model) => model.id !== this.data.model?.id),
  );

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      id: ['', [Validators.required, modelIdValidator]],
      provider: ['openai' as AiModel['provider'], Validators.required],
      upstreamModel: ['', [Validators.required, Validators.pattern(/\S/), Validators.maxLength(200)]],
      aliases: ['', aliasesValidator],
      contextWindow: ['', [Validators.required, tokensValidator]],
      maxOutputTokens: ['', [Validators.required, tokensValidator]],
      inputPricePer1k: ['', [Validators.required, priceValidator]],
      outputPricePer1k: ['', [Validators.required, priceValidator]],
      enabled: [true],
      fallbackModelId: [''],
    },
    { validators: outputFitsContext },
  );
  protected readonly submission = formSubmission();

  constructor() {
    this.form.setValue(this.editing ? toModelForm(this.editing) : emptyModelForm());
    if (this.editing) this.form.controls.id.disable();
  }

  protected submit(): void {
    const editing = this.editing;
    const value = this.form.getRawValue();
    this.submission.submit(
      this.form,
      () =>
        editing
          ? this.api.updateModel(toUpdateModelInput(editing, value))
          : this.api.createModel(toCreateModelInput(value)),
      (model) => this.dialogRef.close(model),
    );
  }
}

export function openModelDialog(dialog: MatDialog, data: ModelDialogData): Observable<ModelDialogResult> {
  return dialog
    .open<ModelDialogComponent, ModelDialogData, ModelDialogResult>(ModelDialogComponent, {
      data,
      width: '40rem',
      maxWidth: 'calc(100vw - 32px)',
      autoFocus: 'first-tabbable',
    })
    .afterClosed();
}
