import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { Observable } from 'rxjs';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { AiApi } from '../data-access/ai.api';
import {
  AI_PROVIDERS,
  isAiProvider,
  type AiChannel,
  type AiModel,
  type AiProvider,
  type CreateAiChannelInput,
  type UpdateAiChannelInput,
} from '../data-access/ai.types';
import { PROVIDER_LABELS } from '../ui/ai-labels';

/** As the API checks them. */
export const CHANNEL_NAME_MAX_LENGTH = 100;
export const MAX_CHANNEL_PRIORITY = 1_000_000;
export const MAX_CHANNEL_WEIGHT = 10_000;
const WHOLE = /^\s*\d{1,7}\s*$/;

export interface ChannelDialogData {
  /** The catalogue: a channel serves models of its protocol. */
  readonly models: readonly AiModel[];
  /** Absent: a new channel. A configured one keeps its address and models (from the configuration). */
  readonly channel?: AiChannel;
}

export type ChannelDialogResult = AiChannel | undefined;

export interface ChannelForm {
  name: string;
  protocol: AiProvider;
  baseUrl: string;
  models: string[];
  priority: string;
  weight: string;
  apiKey: string;
}

/** The form's values as the API takes them: trimmed, numbers as numbers, the key only when given. */
export function toCreateChannelInput(form: ChannelForm): CreateAiChannelInput {
  const apiKey = form.apiKey.trim();
  return {
    name: form.name.trim(),
    protocol: form.protocol,
    baseUrl: form.baseUrl.trim(),
    models: form.models.map((modelId) => ({ modelId })),
    priority: Number(form.priority.trim()),
    weight: Number(form.weight.trim()),
    // Named after the channel; keys added later get their own labels.
    ...(apiKey ? { keys: [{ label: form.name.trim(), apiKey }] } : {}),
  };
}

/**
 * What an edit changes, field by field; a model the channel already served keeps its own upstream
 * name and prices. A configured channel's address and models come from the configuration.
 */
export function toUpdateChannelInput(channel: AiChannel, form: ChannelForm): UpdateAiChannelInput {
  const name = form.name.trim();
  const baseUrl = form.baseUrl.trim();
  const priority = Number(form.priority.trim());
  const weight = Number(form.weight.trim());
  const served = channel.models.map((model) => model.modelId);
  const modelsChanged = served.length !== form.models.length || form.models.some((modelId) => !served.includes(modelId));
  const kept = (modelId: string) => {
    const model = channel.models.find((candidate) => candidate.modelId === modelId);
    return {
      modelId,
      ...(model?.upstreamModel != null ? { upstreamModel: model.upstreamModel } : {}),
      ...(model?.inputPricePer1k != null ? { inputPricePer1k: model.inputPricePer1k } : {}),
      ...(model?.outputPricePer1k != null ? { outputPricePer1k: model.outputPricePer1k } : {}),
    };
  };
  return {
    id: channel.id,
    ...(name !== channel.name ? { name } : {}),
    ...(!channel.configured && baseUrl !== channel.baseUrl ? { baseUrl } : {}),
    ...(!channel.configured && modelsChanged ? { models: form.models.map(kept) } : {}),
    ...(priority !== channel.priority ? { priority } : {}),
    ...(weight !== channel.weight ? { weight } : {}),
  };
}

/**
 * A new channel, or one edited: a base URL speaking one protocol (any OpenAI-compatible service is
 * `openai`), the catalogue models it serves, where it stands in routing, and for a new one optionally
 * its first key. The API checks the address (https, public) and answers why it refuses one.
 */
@Component({
  selector: 'sah-channel-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatSelectModule, DialogSubmitComponent],
  template: `
    <h2 mat-dialog-title>{{ editing ? 'Edit ' + editing.name : 'New channel' }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="channel-form">
      <mat-dialog-content class="ai-dialog">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" [maxlength]="nameMaxLength" autocomplete="off" data-testid="channel-name" />
          @if (form.controls.name.invalid) {
            <mat-error>Give the channel a name.</mat-error>
          }
        </mat-form-field>

        @if (!editing) {
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Protocol</mat-label>
            <mat-select formControlName="protocol" data-testid="channel-protocol">
              @for (protocol of protocols; track protocol) {
                <mat-option [value]="protocol">{{ protocolLabels[protocol] }}</mat-option>
              }
            </mat-select>
            <mat-hint>OpenAI also covers any OpenAI-compatible service.</mat-hint>
          </mat-form-field>
        }

        @if (!editing?.configured) {
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Base URL</mat-label>
            <input
              matInput
              formControlName="baseUrl"
              type="url"
              autocomplete="off"
              spellcheck="false"
              placeholder="https://api.example.com/v1"
              data-testid="channel-base-url"
            />
            <mat-hint>As the provider's SDK takes it (OpenAI's ends in /v1).</mat-hint>
            @if (form.controls.baseUrl.invalid) {
              <mat-error>Give an https address.</mat-error>
            }
          </mat-form-field>

          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Models it serves</mat-label>
            <mat-select formControlName="models" multiple data-testid="channel-models">
              @for (model of modelChoices(); track model.id) {
                <mat-option [value]="model.id">{{ model.id }}</mat-option>
              }
            </mat-select>
            @if (form.controls.models.invalid) {
              <mat-error>Choose at least one model of this protocol.</mat-error>
            }
          </mat-form-field>
        }

        <div class="ai-dialog__pair">
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Priority</mat-label>
            <input matInput formControlName="priority" inputmode="numeric" autocomplete="off" data-testid="channel-priority" />
            <mat-hint>Lower first</mat-hint>
            @if (form.controls.priority.invalid) {
              <mat-error>0 to {{ maxPriority.toLocaleString('en') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Weight</mat-label>
            <input matInput formControlName="weight" inputmode="numeric" autocomplete="off" data-testid="channel-weight" />
            <mat-hint>Share among equals</mat-hint>
            @if (form.controls.weight.invalid) {
              <mat-error>1 to {{ maxWeight.toLocaleString('en') }}</mat-error>
            }
          </mat-form-field>
        </div>

        @if (!editing) {
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>API key (optional)</mat-label>
            <input matInput formControlName="apiKey" type="password" autocomplete="off" spellcheck="false" data-testid="channel-api-key" />
            <mat-hint>Stored encrypted; more keys can be added later.</mat-hint>
          </mat-form-field>
        }
      </mat-dialog-content>
      <sah-dialog-submit [submission]="submission" busyLabel="Saving the channel" submitTestId="channel-submit" errorTestId="channel-error">
        {{ editing ? 'Save' : 'Create channel' }}
      </sah-dialog-submit>
    </form>
  `,
  styleUrl: '../ui/ai-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelDialogComponent {
  private readonly api = inject(AiApi);
  private readonly dialogRef = inject<MatDialogRef<ChannelDialogComponent, ChannelDialogResult>>(MatDialogRef);
  private readonly data = inject<ChannelDialogData>(MAT_DIALOG_DATA);

  protected readonly editing = this.data.channel;
  protected readonly protocols = AI_PROVIDERS;
  protected readonly protocolLabels = PROVIDER_LABELS;
  protected readonly nameMaxLength = CHANNEL_NAME_MAX_LENGTH;
  protected readonly maxPriority = MAX_CHANNEL_PRIORITY;
  protected readonly maxWeight = MAX_CHANNEL_WEIGHT;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.editing?.name ?? '', [Validators.required, Validators.pattern(/\S/)]],
    protocol: [this.editing && isAiProvider(this.editing.protocol) ? this.editing.protocol : ('openai' as AiProvider), Validators.required],
    baseUrl: [this.editing?.baseUrl ?? '', [Validators.required, Validators.pattern(/^\s*https?:\/\/\S+\s*$/)]],
    models: [this.editing?.models.map((model) => model.modelId) ?? [], Validators.required],
    priority: [String(this.editing?.priority ?? 0), [Validators.required, Validators.pattern(WHOLE), Validators.max(MAX_CHANNEL_PRIORITY)]],
    weight: [String(this.editing?.weight ?? 1), [Validators.required, Validators.pattern(WHOLE), Validators.min(1), Validators.max(MAX_CHANNEL_WEIGHT)]],
    apiKey: [''],
  });
  private readonly protocol = toSignal(this.form.controls.protocol.valueChanges, { initialValue: this.form.controls.protocol.value });
  protected readonly modelChoices = computed(() => this.data.models.filter((model) => model.provider === this.protocol()));
  protected readonly submission = formSubmission();

  constructor() {
    // A configured channel's address and models come from the configuration: not asked for.
    if (this.editing?.configured) {
      this.form.controls.baseUrl.disable();
      this.form.controls.models.disable();
    }
    // The models chosen belong to the protocol chosen; the key should not outlive the dialog.
    this.form.controls.protocol.valueChanges.subscribe(() => this.form.controls.models.setValue([]));
    this.dialogRef.beforeClosed().subscribe(() => this.form.reset());
  }

  protected submit(): void {
    const form = this.form.getRawValue();
    const editing = this.editing;
    this.submission.submit(
      this.form,
      () => (editing ? this.api.updateChannel(toUpdateChannelInput(editing, form)) : this.api.createChannel(toCreateChannelInput(form))),
      (channel) => this.dialogRef.close(channel),
    );
  }
}

export function openChannelDialog(dialog: MatDialog, data: ChannelDialogData): Observable<ChannelDialogResult> {
  return dialog
    .open<ChannelDialogComponent, ChannelDialogData, ChannelDialogResult>(ChannelDialogComponent, {
      data,
      width: '36rem',
      maxWidth: 'calc(100vw - 32px)',
      autoFocus: 'first-tabbable',
    })
    .afterClosed();
}
