import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PersonalDataKeyring } from '../../crypto/personal-data-keyring';

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

/** What binds a sealed document to its export: one copied to another row does not open. */
export const dataExportContext = (exportId: string): string => `identity_data_export.content:${exportId}`;

/**
 * GDPR exports and their documents, sealed at rest as users' e-mail addresses and names are (the
 * document holds both, and everything else about the user). Every read is scoped to the owner.
 */
export class DataExportStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: PersonalDataKeyring,
  ) {}

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

  /** The newest ready export of the user that has not expired, opened: the JSON text as built. */
  async latestDocument(userId: string, now: Date): Promise<{ export: DataExport; json: string } | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS}, content_sealed, content_key_id FROM identity_data_export
        WHERE user_id = $1 AND status = 'ready' AND expires_at > $2 ORDER BY requested_at DESC LIMIT 1`,
      [userId, now],
    )) as Array<Row & { content_sealed: Buffer; content_key_id: string }>;
    const row = rows[0];
    if (!row) return null;
    return { export: toExport(row), json: this.keyring.open(row.content_sealed, row.content_key_id, dataExportContext(row.id)) };
  }

  /** Pending → ready, once: a second run of the same job finds it done. */
  async complete(id: string, document: unknown, now: Date, expiresAt: Date): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `UPDATE identity_data_export SET status = 'ready', content_sealed = $2, content_key_id = $3, finished_at = $4, expires_at = $5
        WHERE id = $1 AND status = 'pending'`,
      [id, this.keyring.seal(JSON.stringify(document), dataExportContext(id)), this.keyring.currentKeyId, now, expiresAt],
    )) as [unknown, number];
    return count === 1;
  }

  /**
   * keys:rotate: re-seals documents an older key sealed with the current one, `batchSize` per short
   * transaction (documents are whole files: keep batches small). Returns how many.
   */
  async resealStale(batchSize = 20): Promise<number> {
    let total = 0;
    for (;;) {
      const resealed = await this.dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT id, content_sealed, content_key_id FROM identity_data_export
            WHERE content_sealed IS NOT NULL AND content_key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE`,
          [this.keyring.currentKeyId, batchSize],
        )) as Array<{ id: string; content_sealed: Buffer; content_key_id: string }>;
        for (const row of rows) {
          const json = this.keyring.open(row.content_sealed, row.content_key_id, dataExportContext(row.id));
          await manager.query(`UPDATE identity_data_export SET content_sealed = $2, content_key_id = $3 WHERE id = $1`, [
            row.id,
            this.keyring.seal(json, dataExportContext(row.id)),
            this.keyring.currentKeyId,
          ]);
        }
        return rows.length;
      });
      total += resealed;
      if (resealed < batchSize) return total;
    }
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
