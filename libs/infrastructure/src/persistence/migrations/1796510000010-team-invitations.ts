import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Team invitations by e-mail. Only the SHA-256 of a link's token is kept; the token is made when the
 * mail is sent. One pending invitation per team and address; an accepted one keeps who accepted it.
 */
export class TeamInvitations1796510000010 implements MigrationInterface {
  name = 'TeamInvitations1796510000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity_team_invitation (
        id          uuid        PRIMARY KEY,
        team_id     uuid        NOT NULL REFERENCES identity_team (id) ON DELETE CASCADE,
        email       text        NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
        role        text        NOT NULL CHECK (role IN ('member', 'manager')),
        status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
        token_hash  text        UNIQUE,
        invited_by  uuid        REFERENCES identity_user (id) ON DELETE SET NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        accepted_by uuid        REFERENCES identity_user (id) ON DELETE SET NULL,
        finished_at timestamptz,
        CONSTRAINT ck_identity_team_invitation_finished CHECK ((status = 'pending') = (finished_at IS NULL)),
        CONSTRAINT ck_identity_team_invitation_expiry CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_identity_team_invitation_pending ON identity_team_invitation (team_id, email) WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX idx_identity_team_invitation_team ON identity_team_invitation (team_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE identity_team_invitation`);
  }
}
