import { MigrationInterface, QueryRunner } from 'typeorm';

export class Teams1763900000000 implements MigrationInterface {
  name = 'Teams1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity_team (
        id         uuid        PRIMARY KEY,
        name       text        NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
        created_by uuid        REFERENCES identity_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_identity_team_name ON identity_team (lower(name))`);
    await queryRunner.query(`
      CREATE TABLE identity_team_member (
        team_id  uuid        NOT NULL REFERENCES identity_team (id) ON DELETE CASCADE,
        user_id  uuid        NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
        role     text        NOT NULL CHECK (role IN ('member', 'manager')),
        added_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_identity_team_member PRIMARY KEY (team_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX idx_identity_team_member_user ON identity_team_member (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE identity_team_member`);
    await queryRunner.query(`DROP TABLE identity_team`);
  }
}
