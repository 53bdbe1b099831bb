import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys suspended when their owner's role drops below what their scopes need. A suspended key is
 * refused (403) until it is rotated by an owner whose role allows its scopes again, or revoked.
 */
export class ApiKeySuspension1764200000000 implements MigrationInterface {
  name = 'ApiKeySuspension1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity_api_key ADD COLUMN suspended_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity_api_key DROP COLUMN suspended_at`);
  }
}
