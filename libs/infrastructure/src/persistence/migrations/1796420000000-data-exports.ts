import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GDPR exports (right of access and portability): one row per request, built by a background job
 * into a JSON document kept with the row, downloadable by its owner until it expires (then the
 * maintenance job deletes it). At most one export of a user is being built at a time.
 */
export class DataExports1796420000000 implements MigrationInterface {
  name = 'DataExports1796420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity_data_export (
        id           uuid        PRIMARY KEY,
        user_id      uuid        NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
        status       text        NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
        content      jsonb,
        requested_at timestamptz NOT NULL,
        finished_at  timestamptz,
        expires_at   timestamptz,
        CONSTRAINT ck_identity_data_export_ready CHECK ((status = 'ready') = (content IS NOT NULL AND expires_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_identity_data_export_user ON identity_data_export (user_id, requested_at DESC)`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_identity_data_export_pending ON identity_data_export (user_id) WHERE status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE identity_data_export`);
  }
}
