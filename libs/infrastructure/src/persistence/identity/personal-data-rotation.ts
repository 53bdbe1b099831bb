import { DataSource } from 'typeorm';
import { UserPersonalDataCodec } from './user-personal-data';

export interface RotationProgress {
  /** Rows re-sealed so far. */
  rotated: number;
}

/**
 * Re-seals identity_user rows sealed under an older key with the current one (e-mail, name and the
 * lookup hash), one short transaction per batch in primary-key order, so the app keeps serving: a
 * batch locks only its rows, and a row the app saves meanwhile is sealed under the current key anyway.
 */
export class PersonalDataRotation {
  constructor(
    private readonly dataSource: DataSource,
    private readonly personalData: UserPersonalDataCodec,
    private readonly batchSize = 200,
  ) {}

  /** `onBatch` runs between batches (awaited): progress reports, and tests interleaving requests. */
  async run(onBatch?: (progress: RotationProgress) => void | Promise<void>): Promise<RotationProgress> {
    const progress: RotationProgress = { rotated: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const ids = await this.dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT id, email_sealed, name_sealed, personal_data_key_id FROM identity_user
            WHERE personal_data_key_id <> $1 AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE`,
          [this.personalData.currentKeyId, after, this.batchSize],
        )) as Array<{ id: string; email_sealed: Buffer; name_sealed: Buffer; personal_data_key_id: string }>;
        if (rows.length === 0) return [];
        const sealed = rows.map((row) =>
          this.personalData.seal(
            row.id,
            this.personalData.open(row.id, { emailSealed: row.email_sealed, nameSealed: row.name_sealed, personalDataKeyId: row.personal_data_key_id }),
          ),
        );
        await manager.query(
          `UPDATE identity_user u
              SET email_sealed = v.email_sealed, email_lookup = v.email_lookup, name_sealed = v.name_sealed, personal_data_key_id = $5
             FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::bytea[]) AS v (id, email_sealed, email_lookup, name_sealed)
            WHERE u.id = v.id`,
          [
            rows.map((row) => row.id),
            sealed.map((s) => s.emailSealed),
            sealed.map((s) => s.emailLookup),
            sealed.map((s) => s.nameSealed),
            this.personalData.currentKeyId,
          ],
        );
        return rows.map((row) => row.id);
      });
      progress.rotated += ids.length;
      const last = ids.at(-1);
      if (!last) return progress;
      await onBatch?.(progress);
      after = last;
    }
  }

  /** Rows still sealed under another key than the current one. */
  async remaining(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM identity_user WHERE personal_data_key_id <> $1`, [
      this.personalData.currentKeyId,
    ])) as [{ n: number }];
    return row.n;
  }
}
