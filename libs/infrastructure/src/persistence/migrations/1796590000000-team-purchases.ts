import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit purchases made for a team: the payment names the team whose wallet its credits go to
 * (`user_id` stays the member who paid). No foreign key, as for `credit_account.team_id`: the billing
 * context keeps its payments whatever becomes of the team.
 */
export class TeamPurchases1796590000000 implements MigrationInterface {
  name = 'TeamPurchases1796590000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE payment ADD COLUMN team_id uuid`);
    await queryRunner.query(
      `CREATE INDEX idx_payment_team ON payment (team_id, created_at DESC, id DESC) WHERE team_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_payment_team`);
    await queryRunner.query(`ALTER TABLE payment DROP COLUMN team_id`);
  }
}
