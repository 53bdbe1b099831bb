import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763740000000 implements MigrationInterface {
  name = 'InitialSchema1763740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_record (
        scope        text        NOT NULL CHECK (length(scope) BETWEEN 1 AND 200),
        key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash text        NOT NULL,
        response     jsonb,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        CONSTRAINT pk_idempotency_record PRIMARY KEY (scope, key),
        CONSTRAINT chk_idempotency_record_expiry CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_idempotency_record_expires_at ON idempotency_record (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_record`);
  }
}
