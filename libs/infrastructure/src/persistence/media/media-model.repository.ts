import { Credits, DomainError, MediaModel, MediaRoute } from '@sah/domain';
import { DataSource } from 'typeorm';
import { MediaModelRow, toMediaModel } from './media-job.rows';

/** The media catalogue: which models exist and what they cost. */
export class MediaModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async all(): Promise<MediaModel[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM media_model ORDER BY kind, id`)) as MediaModelRow[];
    return rows.map(toMediaModel);
  }

  async find(id: string): Promise<MediaModel | null> {
    const rows = (await this.dataSource.query(`SELECT * FROM media_model WHERE id = $1`, [id])) as MediaModelRow[];
    return rows[0] ? toMediaModel(rows[0]) : null;
  }

  /**
   * An admin's change of price, availability or providers (the first route is the model's own, the
   * rest its fallbacks); jobs already created keep the price they were held at.
   */
  async update(id: string, changes: { price?: Credits; enabled?: boolean; routes?: MediaRoute[] }): Promise<MediaModel> {
    const [own, ...fallbacks] = changes.routes ?? [];
    const rows = (await this.dataSource.query(
      `UPDATE media_model SET price = COALESCE($2, price), enabled = COALESCE($3, enabled),
              provider = COALESCE($4, provider), upstream_model = COALESCE($5, upstream_model),
              fallbacks = COALESCE($6::jsonb, fallbacks), updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, changes.price?.millis.toString() ?? null, changes.enabled ?? null, own?.provider ?? null, own?.upstreamModel ?? null, own ? JSON.stringify(fallbacks) : null],
    )) as [MediaModelRow[], number];
    const row = rows[0][0];
    if (!row) throw DomainError.notFound('Media model', { id });
    return toMediaModel(row);
  }
}
