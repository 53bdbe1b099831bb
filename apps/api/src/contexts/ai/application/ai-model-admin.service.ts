import { Injectable } from '@nestjs/common';
import { AiModel, Credits, DomainError, isProviderName, isRoutingPolicy, ROUTING_POLICIES } from '@sah/domain';
import { AiModelChanges, AiModelRepository } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../../identity/application/audit-log.service';
import { ModelCatalog } from './model-catalog';

/** Prices arrive as decimals (credits per 1,000 tokens) and are parsed from their text, never by float maths. */
export interface AiModelFields {
  provider: string;
  upstreamModel: string;
  aliases: string[];
  contextWindow: number;
  maxOutputTokens: number;
  inputPricePer1k: number | string;
  outputPricePer1k: number | string;
  enabled: boolean;
  fallbackModelId: string | null;
}

export type NewAiModel = Pick<AiModelFields, 'provider' | 'upstreamModel' | 'contextWindow' | 'maxOutputTokens' | 'inputPricePer1k' | 'outputPricePer1k'> &
  Partial<AiModelFields> & { id: string };

export type AiModelEdit = Partial<AiModelFields> & { id: string };

const MODEL_ID = /^[a-zA-Z0-9._:-]{1,100}$/;

/**
 * The model catalogue as admins edit it: every change is checked against the rest of the catalogue
 * (ids and aliases stay unambiguous, a fallback exists and is another model), recorded in the audit
 * log, and takes effect at once in this process (other instances within the catalogue's cache time).
 */
@Injectable()
export class AiModelAdmin {
  constructor(
    private readonly models: AiModelRepository,
    private readonly catalog: ModelCatalog,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, draft: NewAiModel): Promise<AiModel> {
    if (!MODEL_ID.test(draft.id)) {
      throw DomainError.badInput('id must be 1 to 100 letters, digits, ".", "_", ":" or "-"', { field: 'id' });
    }
    const catalogue = await this.models.all();
    if (catalogue.some((model) => model.id === draft.id)) throw new DomainError('CONFLICT', `A model with the id '${draft.id}' already exists`, { field: 'id' });
    const { provider, upstreamModel, contextWindow, maxOutputTokens, inputPrice, outputPrice, aliases } = toChanges(draft);
    if (!provider || !upstreamModel || !contextWindow || !maxOutputTokens || !inputPrice || !outputPrice) {
      throw DomainError.badInput('provider, upstreamModel, contextWindow, maxOutputTokens and both prices are required');
    }
    const model: AiModel = {
      id: draft.id,
      provider,
      upstreamModel,
      aliases: aliases ?? [],
      contextWindow,
      maxOutputTokens,
      inputPrice,
      outputPrice,
      enabled: draft.enabled ?? true,
      fallbackModelId: draft.fallbackModelId ?? null,
    };
    assertConsistent(model, catalogue);
    const created = await this.models.create(model);
    this.catalog.invalidate();
    await this.audit.record(principal.userId, 'ai_model.created', { targetType: 'ai_model', targetId: created.id, details: describe(created) });
    return created;
  }

  async update(principal: Principal, edit: AiModelEdit): Promise<AiModel> {
    const catalogue = await this.models.all();
    const current = catalogue.find((model) => model.id === edit.id);
    if (!current) throw DomainError.notFound('Model', { id: edit.id });
    const changes = toChanges(edit);
    assertConsistent({ ...current, ...changes }, catalogue);
    const updated = await this.models.update(edit.id, changes);
    if (!updated) throw DomainError.notFound('Model', { id: edit.id });
    this.catalog.invalidate();
    await this.audit.record(principal.userId, 'ai_model.updated', {
      targetType: 'ai_model',
      targetId: updated.id,
      details: { before: describe(current), after: describe(updated) },
    });
    return updated;
  }

  async setRoutingPolicy(principal: Principal, modelId: string, policy: string): Promise<AiModel> {
    if (!isRoutingPolicy(policy)) throw DomainError.badInput(`policy must be one of ${ROUTING_POLICIES.join(', ')}`, { field: 'policy' });
    const current = (await this.models.all()).find((model) => model.id === modelId);
    if (!current) throw DomainError.notFound('Model', { id: modelId });
    const updated = await this.models.update(modelId, { routingPolicy: policy });
    if (!updated) throw DomainError.notFound('Model', { id: modelId });
    this.catalog.invalidate();
    await this.audit.record(principal.userId, 'ai_model.routing_policy_set', {
      targetType: 'ai_model',
      targetId: modelId,
      details: { before: current.routingPolicy ?? 'priority', after: policy },
    });
    return updated;
  }
}

/** Only the fields given; prices parsed exactly (at most 3 decimals, not negative). */
function toChanges(fields: Partial<AiModelFields>): AiModelChanges {
  const changes: AiModelChanges = {};
  if (fields.provider !== undefined) {
    if (!isProviderName(fields.provider)) throw DomainError.badInput('provider must be openai, anthropic or gemini', { field: 'provider' });
    changes.provider = fields.provider;
  }
  if (fields.upstreamModel !== undefined) {
    const upstream = fields.upstreamModel.trim();
    if (upstream.length < 1 || upstream.length > 200) throw DomainError.badInput('upstreamModel must be 1 to 200 characters', { field: 'upstreamModel' });
    changes.upstreamModel = upstream;
  }
  if (fields.aliases !== undefined) {
    const aliases = [...new Set(fields.aliases.map((alias) => alias.trim()))];
    if (aliases.some((alias) => !MODEL_ID.test(alias))) {
      throw DomainError.badInput('each alias must be 1 to 100 letters, digits, ".", "_", ":" or "-"', { field: 'aliases' });
    }
    changes.aliases = aliases;
  }
  if (fields.contextWindow !== undefined) changes.contextWindow = positiveInteger(fields.contextWindow, 'contextWindow');
  if (fields.maxOutputTokens !== undefined) changes.maxOutputTokens = positiveInteger(fields.maxOutputTokens, 'maxOutputTokens');
  if (fields.inputPricePer1k !== undefined) changes.inputPrice = Credits.parse(fields.inputPricePer1k, 'inputPricePer1k');
  if (fields.outputPricePer1k !== undefined) changes.outputPrice = Credits.parse(fields.outputPricePer1k, 'outputPricePer1k');
  if (fields.enabled !== undefined) changes.enabled = fields.enabled;
  if (fields.fallbackModelId !== undefined) changes.fallbackModelId = fields.fallbackModelId;
  return changes;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw DomainError.badInput(`${field} must be a positive integer`, { field });
  return value;
}

/**
 * The model as it would be saved, against the others: its output fits its context window, its
 * fallback is another model that exists, and no id or alias could name two models.
 */
function assertConsistent(model: AiModel, catalogue: AiModel[]): void {
  if (model.maxOutputTokens > model.contextWindow) {
    throw DomainError.badInput('maxOutputTokens must not exceed contextWindow', { field: 'maxOutputTokens' });
  }
  if (model.fallbackModelId !== null) {
    if (model.fallbackModelId === model.id) throw DomainError.badInput('A model cannot be its own fallback', { field: 'fallbackModelId' });
    if (!catalogue.some((other) => other.id === model.fallbackModelId)) {
      throw DomainError.badInput(`The fallback model '${model.fallbackModelId}' does not exist`, { field: 'fallbackModelId' });
    }
  }
  const others = catalogue.filter((other) => other.id !== model.id);
  const taken = new Set(others.flatMap((other) => [other.id, ...other.aliases]));
  if (model.aliases.includes(model.id)) throw DomainError.badInput('An alias must differ from the model id', { field: 'aliases' });
  const clash = [model.id, ...model.aliases].find((name) => taken.has(name));
  if (clash) throw new DomainError('CONFLICT', `'${clash}' already names another model`, { field: clash === model.id ? 'id' : 'aliases' });
}

function describe(model: AiModel): Record<string, unknown> {
  return {
    provider: model.provider,
    upstreamModel: model.upstreamModel,
    aliases: model.aliases,
    contextWindow: model.contextWindow,
    maxOutputTokens: model.maxOutputTokens,
    inputPricePer1k: model.inputPrice.toString(),
    outputPricePer1k: model.outputPrice.toString(),
    enabled: model.enabled,
    fallbackModelId: model.fallbackModelId,
  };
}
