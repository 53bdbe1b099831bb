import { MigrationInterface, QueryRunner } from 'typeorm';

/** An API key's own requests-per-minute limit, set by its owner (null: none). */
export class ApiKeyRateLimit1796410000000 implements MigrationInterface {
  name = 'ApiKeyRateLimit1796410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE identity_api_key ADD COLUMN requests_per_minute integer CONSTRAINT identity_api_key_requests_per_minute_positive CHECK (requests_per_minute > 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity_api_key DROP COLUMN requests_per_minute`);
  }
}
