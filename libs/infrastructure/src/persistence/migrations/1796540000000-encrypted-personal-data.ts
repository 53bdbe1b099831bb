import { MigrationInterface, QueryRunner } from 'typeorm';
import { PersonalDataKeyring } from '../../crypto/personal-data-keyring';
import { UserPersonalDataCodec } from '../identity/user-personal-data';

const BATCH = 500;

/**
 * E-mail addresses and names at rest: identity_user keeps them sealed (AES-256-GCM, UserPersonalDataCodec)
 * with the id of the key that sealed them, and a keyed hash of the normalised address for lookups
 * and uniqueness (uq_identity_user_email, same name as before). Existing rows are sealed in batches
 * with the keys the app uses (ENCRYPTION_KEY, ENCRYPTION_KEYS_PREVIOUS, read from the environment as
 * the app reads them; the migration runs in the app's process or `npm run db:migrate`).
 *
 * Copies elsewhere go too: `details.email` of audit entries (failed sign-ins; the actor id names the
 * account) and the address in stored registration events (nothing reads it). The down migration
 * restores identity_user's columns; what was dropped from those two stays dropped.
 */
export class EncryptedPersonalData1796540000000 implements MigrationInterface {
  name = 'EncryptedPersonalData1796540000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE identity_user
        ADD COLUMN email_sealed bytea,
        ADD COLUMN email_lookup bytea,
        ADD COLUMN name_sealed bytea,
        ADD COLUMN personal_data_key_id text`);
    let codec: UserPersonalDataCodec | undefined;
    for (;;) {
      const rows = (await queryRunner.query(`SELECT id, email, name FROM identity_user WHERE email_sealed IS NULL ORDER BY id LIMIT $1`, [
        BATCH,
      ])) as Array<{ id: string; email: string; name: string }>;
      if (rows.length === 0) break;
      const seal = (codec ??= new UserPersonalDataCodec(PersonalDataKeyring.fromEnvironment(process.env)));
      const sealed = rows.map((row) => seal.seal(row.id, { email: row.email, name: row.name }));
      await queryRunner.query(
        `UPDATE identity_user u
            SET email_sealed = v.email_sealed, email_lookup = v.email_lookup, name_sealed = v.name_sealed, personal_data_key_id = $5
           FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::bytea[]) AS v (id, email_sealed, email_lookup, name_sealed)
          WHERE u.id = v.id`,
        [rows.map((row) => row.id), sealed.map((s) => s.emailSealed), sealed.map((s) => s.emailLookup), sealed.map((s) => s.nameSealed), seal.currentKeyId],
      );
    }
    await queryRunner.query(`
      ALTER TABLE identity_user
        DROP CONSTRAINT uq_identity_user_email,
        DROP COLUMN email,
        DROP COLUMN email_normalized,
        DROP COLUMN name,
        ALTER COLUMN email_sealed SET NOT NULL,
        ALTER COLUMN email_lookup SET NOT NULL,
        ALTER COLUMN name_sealed SET NOT NULL,
        ALTER COLUMN personal_data_key_id SET NOT NULL,
        ADD CONSTRAINT ck_identity_user_email_lookup CHECK (length(email_lookup) = 32),
        ADD CONSTRAINT ck_identity_user_personal_data_key_id CHECK (personal_data_key_id ~ '^[0-9a-f]{8}$'),
        ADD CONSTRAINT uq_identity_user_email UNIQUE (email_lookup)`);

    // The audit log is append-only; declaring an erasure lets this transaction drop keys from details.
    await queryRunner.query(`SELECT set_config('sah.audit_log_erase_user', 'personal-data-migration', true)`);
    await queryRunner.query(`UPDATE identity_audit_log SET details = details - 'email' WHERE details ? 'email'`);
    await queryRunner.query(`SELECT set_config('sah.audit_log_erase_user', '', true)`);
    await queryRunner.query(`UPDATE outbox_event SET payload = payload - 'email' WHERE type = 'identity.user_registered' AND payload ? 'email'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity_user ADD COLUMN email text, ADD COLUMN email_normalized text, ADD COLUMN name text`);
    let codec: UserPersonalDataCodec | undefined;
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, email_sealed, name_sealed, personal_data_key_id FROM identity_user WHERE email IS NULL ORDER BY id LIMIT $1`,
        [BATCH],
      )) as Array<{ id: string; email_sealed: Buffer; name_sealed: Buffer; personal_data_key_id: string }>;
      if (rows.length === 0) break;
      const open = (codec ??= new UserPersonalDataCodec(PersonalDataKeyring.fromEnvironment(process.env)));
      const opened = rows.map((row) =>
        open.open(row.id, { emailSealed: row.email_sealed, nameSealed: row.name_sealed, personalDataKeyId: row.personal_data_key_id }),
      );
      await queryRunner.query(
        `UPDATE identity_user u SET email = v.email, email_normalized = lower(v.email), name = v.name
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v (id, email, name)
          WHERE u.id = v.id`,
        [rows.map((row) => row.id), opened.map((o) => o.email), opened.map((o) => o.name)],
      );
    }
    await queryRunner.query(`
      ALTER TABLE identity_user
        DROP CONSTRAINT uq_identity_user_email,
        DROP COLUMN email_sealed,
        DROP COLUMN email_lookup,
        DROP COLUMN name_sealed,
        DROP COLUMN personal_data_key_id,
        ALTER COLUMN email SET NOT NULL,
        ALTER COLUMN email_normalized SET NOT NULL,
        ALTER COLUMN name SET NOT NULL,
        ADD CONSTRAINT identity_user_email_check CHECK (length(email) BETWEEN 3 AND 254),
        ADD CONSTRAINT identity_user_check CHECK (email_normalized = lower(email)),
        ADD CONSTRAINT identity_user_name_check CHECK (length(name) BETWEEN 1 AND 100),
        ADD CONSTRAINT uq_identity_user_email UNIQUE (email_normalized)`);
  }
}
