import { AiChannel, ChannelModel, Credits, DomainError, ProviderName } from '@sah/domain';
import { DataSource, EntityManager } from 'typeorm';
import { violatedConstraint } from '../constraint-violation';

interface ChannelRow {
  id: string;
  protocol: ProviderName;
  name: string;
  base_url: string | null;
  priority: number;
  weight: number;
  enabled: boolean;
  models: Array<{ model_id: string; upstream_model: string | null; input_price: string | null; output_price: string | null }> | null;
}

const SELECT = `
  SELECT c.*, (SELECT json_agg(m ORDER BY m.model_id) FROM ai_channel_model m WHERE m.channel_id = c.id) AS models
  FROM ai_channel c`;

function toChannel(row: ChannelRow): AiChannel {
  return {
    id: row.id,
    protocol: row.protocol,
    name: row.name,
    baseUrl: row.base_url,
    priority: row.priority,
    weight: row.weight,
    enabled: row.enabled,
    models: (row.models ?? []).map((m) => ({
      modelId: m.model_id,
      upstreamModel: m.upstream_model,
      inputPrice: m.input_price === null ? null : Credits.fromMillis(m.input_price),
      outputPrice: m.output_price === null ? null : Credits.fromMillis(m.output_price),
    })),
  };
}

export type ChannelFields = Pick<AiChannel, 'name' | 'priority' | 'weight' | 'enabled' | 'models'>;

/** AI channels and the models each serves. */
export class AiChannelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async all(): Promise<AiChannel[]> {
    const rows = (await this.dataSource.query(`${SELECT} ORDER BY c.protocol, c.priority, c.name`)) as ChannelRow[];
    return rows.map(toChannel);
  }

  async byId(id: string): Promise<AiChannel | null> {
    const rows = (await this.dataSource.query(`${SELECT} WHERE c.id = $1`, [id])) as ChannelRow[];
    return rows[0] ? toChannel(rows[0]) : null;
  }

  /** A name already taken is a CONFLICT; a model not in the catalogue is BAD_USER_INPUT. */
  async create(channel: Omit<AiChannel, 'id'>): Promise<AiChannel> {
    const id = await this.write(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO ai_channel (protocol, name, base_url, priority, weight, enabled) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [channel.protocol, channel.name, channel.baseUrl, channel.priority, channel.weight, channel.enabled],
      )) as Array<{ id: string }>;
      const created = (rows[0] as { id: string }).id;
      await this.replaceModels(manager, created, channel.models);
      return created;
    });
    return (await this.byId(id)) as AiChannel;
  }

  /** The fields given change (`models` replaces the list); the base URL only when given (configured channels have none). */
  async update(id: string, changes: Partial<ChannelFields> & { baseUrl?: string }): Promise<AiChannel | null> {
    const found = await this.write(async (manager) => {
      const columns: Record<string, unknown> = {
        name: changes.name,
        base_url: changes.baseUrl,
        priority: changes.priority,
        weight: changes.weight,
        enabled: changes.enabled,
      };
      const set = Object.entries(columns).filter(([, value]) => value !== undefined);
      const assignments = set.map(([column], index) => `${column} = $${index + 2}, `).join('');
      const [rows] = (await manager.query(`UPDATE ai_channel SET ${assignments}updated_at = now() WHERE id = $1 RETURNING id`, [
        id,
        ...set.map(([, value]) => value),
      ])) as [unknown[], number];
      if (rows.length === 0) return false;
      if (changes.models) await this.replaceModels(manager, id, changes.models);
      return true;
    });
    return found ? this.byId(id) : null;
  }

  /** Removes a channel with its keys; configured channels stay (they can be disabled). */
  async remove(id: string): Promise<boolean> {
    const [, deleted] = (await this.dataSource.query(`DELETE FROM ai_channel WHERE id = $1 AND base_url IS NOT NULL`, [id])) as [unknown, number];
    return deleted > 0;
  }

  private async replaceModels(manager: EntityManager, channelId: string, models: ChannelModel[]): Promise<void> {
    await manager.query(`DELETE FROM ai_channel_model WHERE channel_id = $1`, [channelId]);
    for (const model of models) {
      await manager.query(
        `INSERT INTO ai_channel_model (channel_id, model_id, upstream_model, input_price, output_price) VALUES ($1, $2, $3, $4, $5)`,
        [channelId, model.modelId, model.upstreamModel, model.inputPrice?.millis.toString() ?? null, model.outputPrice?.millis.toString() ?? null],
      );
    }
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      const constraint = violatedConstraint(error);
      if (constraint === 'ai_channel_name_key') throw new DomainError('CONFLICT', 'A channel with this name already exists', { field: 'name' });
      if (constraint === 'ai_channel_model_model_id_fkey') throw DomainError.badInput('models: a model is not in the catalogue', { field: 'models' });
      if (constraint === 'ai_channel_model_pkey') throw DomainError.badInput('models: a model is listed twice', { field: 'models' });
      throw error;
    }
  }
}
