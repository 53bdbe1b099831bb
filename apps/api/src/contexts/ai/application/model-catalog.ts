import { Injectable } from '@nestjs/common';
import { AiModel, DomainError } from '@sah/domain';
import { AiModelRepository } from '@sah/infrastructure';
import { ExpiringLoad } from '../../../platform/cache/expiring-load';

const CACHE_MS = 10_000;

/**
 * The catalogue as the gateway reads it: from memory, refreshed every few seconds (and at once in
 * the process where an admin edits it), so a chat call costs no catalogue query.
 */
@Injectable()
export class ModelCatalog {
  private readonly models: ExpiringLoad<AiModel[]>;

  constructor(repository: AiModelRepository) {
    this.models = new ExpiringLoad(() => repository.all(), CACHE_MS);
  }

  all(): Promise<AiModel[]> {
    return this.models.get();
  }

  invalidate(): void {
    this.models.invalidate();
  }

  /** By id or alias; unknown and disabled models are refused before anything is held or called. */
  async resolve(name: string): Promise<AiModel> {
    const models = await this.all();
    const model = models.find((m) => m.id === name) ?? models.find((m) => m.aliases.includes(name));
    if (!model || !model.enabled) {
      throw new DomainError('NOT_FOUND', `The model '${name}' does not exist or is not enabled`, { model: name });
    }
    return model;
  }

  async fallbackOf(model: AiModel): Promise<AiModel | null> {
    if (!model.fallbackModelId) return null;
    const fallback = (await this.all()).find((m) => m.id === model.fallbackModelId);
    return fallback?.enabled ? fallback : null;
  }
}
