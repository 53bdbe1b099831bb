import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

import type { AiModel, CreateAiModelInput, UpdateAiModelInput } from '../data-access/ai.types';

/** Model ids and aliases are what clients put in `model`; the API allows exactly these. */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
export const MAX_ALIASES = 20;
/** Credits per 1,000 tokens, at most 3 decimals as the ledger stores them; zero is a free model. */
const PRICE = /^\d{1,9}(\.\d{1,3})?$/;
export const MAX_TOKENS_LIMIT = 100_000_000;

/** The dialog's fields as typed (numbers as text, so "0.1" reaches the API as written). */
export interface ModelFormValue {
  readonly id: string;
  /** One of AI_PROVIDERS (the select offers only those; the API refuses others). */
  readonly provider: string;
  readonly upstreamModel: string;
  readonly aliases: string;
  readonly contextWindow: string;
  readonly maxOutputTokens: string;
  readonly inputPricePer1k: string;
  readonly outputPricePer1k: string;
  readonly enabled: boolean;
  /** '' for none. */
  readonly fallbackModelId: string;
}

export function emptyModelForm(): ModelFormValue {
  return {
    id: '',
    provider: 'openai',
    upstreamModel: '',
    aliases: '',
    contextWindow: '',
    maxOutputTokens: '',
    inputPricePer1k: '',
    outputPricePer1k: '',
    enabled: true,
    fallbackModelId: '',
  };
}

export function toModelForm(model: AiModel): ModelFormValue {
  return {
    id: model.id,
    provider: model.provider,
    upstreamModel: model.upstreamModel,
    aliases: model.aliases.join(', '),
    contextWindow: String(model.contextWindow),
    maxOutputTokens: String(model.maxOutputTokens),
    inputPricePer1k: String(model.inputPricePer1k),
    outputPricePer1k: String(model.outputPricePer1k),
    enabled: model.enabled,
    fallbackModelId: model.fallbackModelId ?? '',
  };
}

/** "gpt4, gpt-4-latest,,gpt4" → ['gpt4', 'gpt-4-latest']: trimmed, no blanks, no repeats. */
export function parseAliases(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((alias) => alias.trim()).filter(Boolean))];
}

export function toCreateModelInput(form: ModelFormValue): CreateAiModelInput {
  return {
    id: form.id.trim(),
    provider: form.provider,
    upstreamModel: form.upstreamModel.trim(),
    aliases: parseAliases(form.aliases),
    contextWindow: Number(form.contextWindow),
    maxOutputTokens: Number(form.maxOutputTokens),
    inputPricePer1k: Number(form.inputPricePer1k.trim()),
    outputPricePer1k: Number(form.outputPricePer1k.trim()),
    enabled: form.enabled,
    fallbackModelId: form.fallbackModelId || null,
  };
}

/**
 * The id and only the fields that differ from the model as loaded (the API changes only the fields
 * given); a fallback set back to none is sent as null, which removes it.
 */
export function toUpdateModelInput(model: AiModel, form: ModelFormValue): UpdateAiModelInput {
  const edited = toCreateModelInput({ ...form, id: model.id });
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(edited)) {
    if (field === 'id') continue;
    const before = model[field as keyof AiModel];
    if (JSON.stringify(before) !== JSON.stringify(value)) changes[field] = value;
  }
  return { id: model.id, ...(changes as Partial<CreateAiModelInput>) };
}

export const modelIdValidator: ValidatorFn = (control: AbstractControl<string>) =>
  MODEL_ID_PATTERN.test((control.value ?? '').trim()) ? null : { modelId: true };

/** Each alias must be a valid model id too, and there may be at most MAX_ALIASES. */
export const aliasesValidator: ValidatorFn = (control: AbstractControl<string>) => {
  const aliases = parseAliases(control.value ?? '');
  return aliases.length <= MAX_ALIASES && aliases.every((alias) => MODEL_ID_PATTERN.test(alias)) ? null : { aliases: true };
};

export const priceValidator: ValidatorFn = (control: AbstractControl<string>) => {
  const text = (control.value ?? '').trim();
  return text === '' || PRICE.test(text) ? null : { price: true };
};

export const tokensValidator: ValidatorFn = (control: AbstractControl<string>) => {
  const text = (control.value ?? '').trim();
  if (text === '') return null;
  const value = Number(text);
  return /^\d+$/.test(text) && value >= 1 && value <= MAX_TOKENS_LIMIT ? null : { tokens: true };
};

/** A model cannot answer with more tokens than its whole context holds. */
export const outputFitsContext: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const context = Number(group.get('contextWindow')?.value);
  const output = Number(group.get('maxOutputTokens')?.value);
  if (!Number.isFinite(context) || !Number.isFinite(output) || !context || !output) return null;
  return output <= context ? null : { outputExceedsContext: true };
};
