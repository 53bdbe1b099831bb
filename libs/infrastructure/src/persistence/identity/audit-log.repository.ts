import { DataSource } from 'typeorm';
import { AuditLogEntity } from './audit-log.entity';

export interface AuditEntryInput {
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  requestId?: string;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  actorId?: string;
  action?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  page: number;
  perPage: number;
}

export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(entry: AuditEntryInput): Promise<void> {
    // `save` rather than `insert`: insert's deep-partial typing cannot take a free-form JSON object.
    await this.dataSource.getRepository(AuditLogEntity).save({
      occurredAt: new Date(),
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: entry.ip ?? null,
      requestId: entry.requestId ?? null,
      details: entry.details ?? {},
    });
  }

  async list(query: AuditQuery): Promise<{ items: AuditLogEntity[]; total: number }> {
    const builder = this.dataSource.getRepository(AuditLogEntity).createQueryBuilder('entry');
    if (query.actorId) builder.andWhere('entry.actor_id = :actorId', { actorId: query.actorId });
    if (query.action) builder.andWhere('entry.action = :action', { action: query.action });
    if (query.targetId) builder.andWhere('entry.target_id = :targetId', { targetId: query.targetId });
    if (query.from) builder.andWhere('entry.occurred_at >= :from', { from: query.from });
    if (query.to) builder.andWhere('entry.occurred_at < :to', { to: query.to });
    const [items, total] = await builder
      .orderBy('entry.occurred_at', 'DESC')
      .addOrderBy('entry.id', 'DESC')
      .skip((query.page - 1) * query.perPage)
      .take(query.perPage)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * Deletes entries older than `cutoff`, `batchSize` per transaction; returns how many. Each
   * transaction declares the cutoff: the append-only trigger lets nothing younger go.
   */
  async purgeOlderThan(cutoff: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT set_config('sah.audit_log_purge_before', $1, true)`, [cutoff.toISOString()]);
        const [, count] = (await manager.query(
          `DELETE FROM identity_audit_log WHERE id IN (SELECT id FROM identity_audit_log WHERE occurred_at < $1 LIMIT $2)`,
          [cutoff, batchSize],
        )) as [unknown, number];
        return count;
      });
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
