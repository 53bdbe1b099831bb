import { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1763800000000 implements MigrationInterface {
  name = 'Identity1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity_user (
        id                uuid        PRIMARY KEY,
        email             text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        email_normalized  text        NOT NULL CHECK (email_normalized = lower(email)),
        name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        password_hash     text,
        role              text        NOT NULL CHECK (role IN ('SUPER_ADMIN', 'ADMIN', 'MANAGER', 'USER', 'GUEST')),
        status            text        NOT NULL CHECK (status IN ('active', 'suspended')),
        email_verified_at timestamptz,
        google_id         text,
        created_at        timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_identity_user_email UNIQUE (email_normalized),
        CONSTRAINT uq_identity_user_google_id UNIQUE (google_id)
      )`);

    // Opaque refresh tokens, stored as SHA-256. A family is one sign-in; rotation chains through it.
    await queryRunner.query(`
      CREATE TABLE identity_refresh_token (
        id          uuid        PRIMARY KEY,
        user_id     uuid        NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
        family_id   uuid        NOT NULL,
        token_hash  text        NOT NULL,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
        rotated_at  timestamptz,
        revoked_at  timestamptz,
        CONSTRAINT uq_identity_refresh_token_hash UNIQUE (token_hash)
      )`);
    await queryRunner.query(`CREATE INDEX idx_identity_refresh_token_family ON identity_refresh_token (family_id)`);
    await queryRunner.query(`CREATE INDEX idx_identity_refresh_token_user ON identity_refresh_token (user_id)`);
    await queryRunner.query(`CREATE INDEX idx_identity_refresh_token_expires_at ON identity_refresh_token (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE identity_api_key (
        id           uuid        PRIMARY KEY,
        user_id      uuid        NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
        name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        prefix       text        NOT NULL,
        key_hash     text        NOT NULL,
        scopes       text[]      NOT NULL CHECK (cardinality(scopes) > 0),
        created_at   timestamptz NOT NULL,
        expires_at   timestamptz NOT NULL CHECK (expires_at > created_at),
        last_used_at timestamptz,
        revoked_at   timestamptz,
        CONSTRAINT uq_identity_api_key_hash UNIQUE (key_hash)
      )`);
    await queryRunner.query(`CREATE INDEX idx_identity_api_key_user ON identity_api_key (user_id)`);

    // Append-only: the database itself refuses to change or remove an audit entry.
    await queryRunner.query(`
      CREATE TABLE identity_audit_log (
        id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id    uuid,
        action      text        NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
        target_type text,
        target_id   text,
        ip          text,
        request_id  text,
        details     jsonb       NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(`CREATE INDEX idx_identity_audit_log_occurred_at ON identity_audit_log (occurred_at DESC)`);
    await queryRunner.query(`CREATE INDEX idx_identity_audit_log_actor ON identity_audit_log (actor_id, occurred_at DESC)`);
    await queryRunner.query(`CREATE INDEX idx_identity_audit_log_target ON identity_audit_log (target_type, target_id)`);
    await queryRunner.query(`
      CREATE FUNCTION identity_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'identity_audit_log is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_identity_audit_log_append_only
        BEFORE UPDATE OR DELETE ON identity_audit_log
        FOR EACH ROW EXECUTE FUNCTION identity_audit_log_append_only()`);

    // Transactional outbox: domain events written in the same transaction as the change they describe.
    await queryRunner.query(`
      CREATE TABLE outbox_event (
        id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        type         text        NOT NULL,
        payload      jsonb       NOT NULL,
        occurred_at  timestamptz NOT NULL,
        published_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX idx_outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox_event`);
    await queryRunner.query(`DROP TABLE identity_audit_log`);
    await queryRunner.query(`DROP FUNCTION identity_audit_log_append_only()`);
    await queryRunner.query(`DROP TABLE identity_api_key`);
    await queryRunner.query(`DROP TABLE identity_refresh_token`);
    await queryRunner.query(`DROP TABLE identity_user`);
  }
}
