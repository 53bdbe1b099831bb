import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TOTP second factors: the shared secret sealed with AES-256-GCM (ENCRYPTION_KEY), the last accepted
 * time step (replay guard), and ten single-use recovery codes per user stored as SHA-256.
 */
export class TwoFactor1764400000000 implements MigrationInterface {
  name = 'TwoFactor1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity_two_factor (
        user_id          uuid        PRIMARY KEY REFERENCES identity_user (id) ON DELETE CASCADE,
        secret_ciphertext bytea      NOT NULL,
        secret_iv        bytea       NOT NULL CHECK (length(secret_iv) = 12),
        secret_auth_tag  bytea       NOT NULL CHECK (length(secret_auth_tag) = 16),
        enabled_at       timestamptz,
        last_used_step   bigint      CHECK (last_used_step >= 0),
        created_at       timestamptz NOT NULL,
        CONSTRAINT ck_identity_two_factor_enabled_used CHECK (enabled_at IS NULL OR last_used_step IS NOT NULL)
      )`);
    await queryRunner.query(`
      CREATE TABLE identity_recovery_code (
        user_id    uuid        NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
        code_hash  text        NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
        used_at    timestamptz,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, code_hash)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE identity_recovery_code`);
    await queryRunner.query(`DROP TABLE identity_two_factor`);
  }
}
