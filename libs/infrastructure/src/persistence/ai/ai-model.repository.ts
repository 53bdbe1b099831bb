import { AiModel, Credits, DomainError, ProviderName, RoutingPolicy } from '@sah/domain';
import { DataSource } from 'typeorm';
import { violatedConstraint } from '../constraint-violation';

interface AiModelRow {
  id: string;
  provider: ProviderName;
  upstream_model: string;
  aliases: string[];
  context_window: number;
  max_output_tokens: number;
  input_price: string;
  output_price: string;
  cached_input_price: string | null;
  enabled: boolean;
  fallback_model_id: string | null;
  routing_policy: RoutingPolicy;
}

function toModel(row: AiModelRow): AiModel {
  return {
    id: row.id,
    provider: row.provider,
    upstreamModel: row.upstream_model,
    aliases: row.aliases,
    contextWindow: row.context_window,
    maxOutputTokens: row.max_output_tokens,
    inputPrice: Credits.fromMillis(row.input_price),
    outputPrice: Credits.fromMillis(row.output_price),
    cachedInputPrice: row.cached_input_price === null ? null : Credits.fromMillis(row.cached_input_price),
    enabled: row.enabled,
    fallbackModelId: row.fallback_model_id,
    routingPolicy: row.routing_policy,
  };
}

export type AiModelChanges = Partial<Omit<AiModel, 'id'>>;

/** The model catalogue. */
export class AiModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async all(): Promise<AiModel[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM ai_model ORDER BY provider, id`)) as AiModelRow[];
    return rows.map(toModel);
  }

  /** An id already taken is a CONFLICT. */
  async create(model: AiModel): Promise<AiModel> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ai_model (id, provider, upstream_model, aliases, context_window, max_output_tokens, input_price, output_price,
                             enabled, fallback_model_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        model.id,
        model.provider,
        model.upstreamModel,
        model.aliases,
        model.contextWindow,
        model.maxOutputTokens,
        model.inputPrice.millis.toString(),
        model.outputPrice.millis.toString(),
        model.enabled,
        model.fallbackModelId,
      ],
    ).catch((error: unknown) => {
      if (violatedConstraint(error) === 'ai_model_pkey') {
        throw new DomainError('CONFLICT', `A model with the id '${model.id}' already exists`, { field: 'id' });
      }
      throw error;
    })) as AiModelRow[];
    return toModel(rows[0] as AiModelRow);
  }

  async update(id: string, changes: AiModelChanges): Promise<AiModel | null> {
    const columns: Record<string, unknown> = {
      provider: changes.provider,
      upstream_model: changes.upstreamModel,
      aliases: changes.aliases,
      context_window: changes.contextWindow,
      max_output_tokens: changes.maxOutputTokens,
      input_price: changes.inputPrice?.millis.toString(),
      output_price: changes.outputPrice?.millis.toString(),
      enabled: changes.enabled,
      fallback_model_id: changes.fallbackModelId,
      routing_policy: changes.routingPolicy,
    };
    const set = Object.entries(columns).filter(([, value]) => value !== undefined);
    const assignments = set.map(([column], index) => `${column} = $${index + 2}`).join(', ');
    const rows = (await this.dataSource.query(
      `UPDATE ai_model SET ${assignments ? `${assignments}, ` : ''}updated_at = now() WHERE id = $1 RETURNING *`,
      [id, ...set.map(([, value]) => value)],
    )) as [AiModelRow[], number];
    const updated = rows[0]?.[0];
    return updated ? toModel(updated) : null;
  }
}
