import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A coarse description of the device a sign-in session began on ("Chrome 131 on macOS"), shown in
 * My account → Security. Only browser and OS names: not the raw user agent, nor the address.
 */
export class SignInSessionDevice1796580000000 implements MigrationInterface {
  name = 'SignInSessionDevice1796580000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE identity_refresh_token ADD COLUMN device text,
         ADD CONSTRAINT ck_identity_refresh_token_device CHECK (char_length(device) <= 120)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity_refresh_token DROP COLUMN device`);
  }
}
