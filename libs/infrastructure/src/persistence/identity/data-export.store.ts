import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export type DataExportStatus = 'pending' | 'ready' | 'failed';

export interface DataExport {
  id: string;
  userId: string;
  status: DataExportStatus;
  requestedAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

interface Row {
  id: string;
  user_id: string;
  status: DataExportStatus;
  requested_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
}

const COLUMNS = 'id, user_id, status, requested_at, finished_at, expires_at';
const toExport = (row: Row): DataExport => ({
  id: row.id,
  userId: row.user_id,
  status: row.status,
  requestedAt: row.requested_at,
  finishedAt: row.finished_at,
  expiresAt: row.expires_at,
});

/** GDPR exports and their documents. Every read is scoped to the owner. */
export class DataExportStore {
  constructor(private readonly dataSource: DataSource) {}

  /** A new pending export, or the one already being built (one at a time per user). */
  async start(userId: string, now: Date): Promise<{ export: DataExport; created: boolean }> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO identity_data_export (id, user_id, status, requested_at) VALUES ($1, $2, 'pending', $3)
       ON CONFLICT (user_id) WHERE status = 'pending' DO NOTHING RETURNING ${COLUMNS}`,
      [randomUUID(), userId, now],
    )) as Row[];
    if (inserted[0]) return { export: toExport(inserted[0]), created: true };
    const pending = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM identity_data_export WHERE user_id = $1 AND status = 'pending'`,
      [userId],
    )) as Row[];
    if (!pending[0]) return this.start(userId, now); // finished in between
    return { export: toExport(pending[0]), created: false };
  }

  async find(id: string): Promise<DataExport | null> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM identity_data_export WHERE id = $1`, [id])) as Row[];
    return rows[0] ? toExport(rows[0]) : null;
  }

  async latest(userId: string): Promise<DataExport | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM identity_data_export WHERE user_id = $1 ORDER BY requested_at DESC LIMIT 1`,
      [userId],
    )) as Row[];
    return rows[0] ? toExport(rows[0]) : null;
  }

  /** The newest ready export of the user that has not expired, as the JSON text stored. */
  async latestDocument(userId: string, now: Date): Promise<{ export: DataExport; json: string } | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS}, content::text AS json FROM identity_data_export
        WHERE user_id = $1 AND status = 'ready' AND expires_at > $2 ORDER BY requested_at DESC LIMIT 1`,
      [userId, now],
    )) as Array<Row & { json: string }>;
    return rows[0] ? { export: toExport(rows[0]), json: rows[0].json } : null;
  }

  /** Pending → ready, once: a second run of the same job finds it done. */
  async complete(id: string, document: unknown, now: Date, expiresAt: Date): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `UPDATE identity_data_export SET status = 'ready', content = $2::jsonb, finished_at = $3, expires_at = $4
        WHERE id = $1 AND status = 'pending'`,
      [id, JSON.stringify(document), now, expiresAt],
    )) as [unknown, number];
    return count === 1;
  }

  async fail(id: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE identity_data_export SET status = 'failed', finished_at = $2 WHERE id = $1 AND status = 'pending'`,
      [id, now],
    );
  }

  /** Ready exports past their expiry and failed ones finished before `failedBefore`, `batchSize` per statement. */
  async purge(now: Date, failedBefore: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM identity_data_export WHERE id IN (
           SELECT id FROM identity_data_export
            WHERE (status = 'ready' AND expires_at <= $1) OR (status = 'failed' AND finished_at < $2) LIMIT $3)`,
        [now, failedBefore, batchSize],
      )) as [unknown, number];
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
