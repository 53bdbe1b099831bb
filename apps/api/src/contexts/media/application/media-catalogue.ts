import { Injectable } from '@nestjs/common';
import { Credits, MediaModel, MediaRoute } from '@sah/domain';
import { MediaModelRepository } from '@sah/infrastructure';
import { ExpiringLoad } from '../../../platform/cache/expiring-load';

const CACHE_MS = 10_000;

/**
 * The media models as job creation reads them: from memory, refreshed every few seconds (and at once
 * in the process where an admin edits them), so creating a job costs no catalogue query. Another API
 * instance sees an edit within CACHE_MS, as with the AI models' catalogue; a job keeps the price it
 * was held at either way.
 */
@Injectable()
export class MediaCatalogue {
  private readonly models: ExpiringLoad<Map<string, MediaModel>>;

  constructor(private readonly repository: MediaModelRepository) {
    this.models = new ExpiringLoad(async () => new Map((await repository.all()).map((model) => [model.id, model])), CACHE_MS);
  }

  async all(): Promise<MediaModel[]> {
    return [...(await this.models.get()).values()];
  }

  async find(id: string): Promise<MediaModel | null> {
    return (await this.models.get()).get(id) ?? null;
  }

  async update(id: string, changes: { price?: Credits; enabled?: boolean; routes?: MediaRoute[] }): Promise<MediaModel> {
    try {
      return await this.repository.update(id, changes);
    } finally {
      this.models.invalidate();
    }
  }
}
