import { MigrationInterface, QueryRunner } from 'typeorm';
import { PersonalDataKeyring } from '../../crypto/personal-data-keyring';
import { dataExportContext } from '../identity/data-export.store';

const BATCH = 50;

/**
 * GDPR export documents at rest: sealed like users' e-mail addresses and names (PersonalDataKeyring,
 * AES-256-GCM bound to the export's id) with the id of the key that sealed them, instead of a jsonb
 * copy of everything about the user kept for 7 days. Ready exports are sealed in batches with the
 * keys the app uses (read from the environment, as the personal-data migration does).
 */
export class SealedDataExports1796550000000 implements MigrationInterface {
  name = 'SealedDataExports1796550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity_data_export ADD COLUMN content_sealed bytea, ADD COLUMN content_key_id text`);
    let keyring: PersonalDataKeyring | undefined;
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, content::text AS json FROM identity_data_export WHERE content IS NOT NULL AND content_sealed IS NULL ORDER BY id LIMIT $1`,
        [BATCH],
      )) as Array<{ id: string; json: string }>;
      if (rows.length === 0) break;
      const seal = (keyring ??= PersonalDataKeyring.fromEnvironment(process.env));
      for (const row of rows)
        await queryRunner.query(`UPDATE identity_data_export SET content_sealed = $2, content_key_id = $3 WHERE id = $1`, [
          row.id,
          seal.seal(row.json, dataExportContext(row.id)),
          seal.currentKeyId,
        ]);
    }
    await queryRunner.query(`
      ALTER TABLE identity_data_export
        DROP CONSTRAINT ck_identity_data_export_ready,
        DROP COLUMN content,
        ADD CONSTRAINT ck_identity_data_export_key_id CHECK (content_key_id ~ '^[0-9a-f]{8}$'),
        ADD CONSTRAINT ck_identity_data_export_ready
          CHECK ((status = 'ready') = (content_sealed IS NOT NULL AND content_key_id IS NOT NULL AND expires_at IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity_data_export ADD COLUMN content jsonb`);
    let keyring: PersonalDataKeyring | undefined;
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, content_sealed, content_key_id FROM identity_data_export WHERE content_sealed IS NOT NULL AND content IS NULL ORDER BY id LIMIT $1`,
        [BATCH],
      )) as Array<{ id: string; content_sealed: Buffer; content_key_id: string }>;
      if (rows.length === 0) break;
      const open = (keyring ??= PersonalDataKeyring.fromEnvironment(process.env));
      for (const row of rows)
        await queryRunner.query(`UPDATE identity_data_export SET content = $2::jsonb WHERE id = $1`, [
          row.id,
          open.open(row.content_sealed, row.content_key_id, dataExportContext(row.id)),
        ]);
    }
    await queryRunner.query(`
      ALTER TABLE identity_data_export
        DROP CONSTRAINT ck_identity_data_export_ready,
        DROP CONSTRAINT ck_identity_data_export_key_id,
        DROP COLUMN content_sealed,
        DROP COLUMN content_key_id,
        ADD CONSTRAINT ck_identity_data_export_ready CHECK ((status = 'ready') = (content IS NOT NULL AND expires_at IS NOT NULL))`);
  }
}
