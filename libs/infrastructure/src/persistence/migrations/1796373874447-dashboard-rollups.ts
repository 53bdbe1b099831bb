import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the console dashboard needs to answer fast over millions of ledger and usage rows.
 *
 * Daily rollups of closed UTC days (a day is closed five minutes after it ends: rows take their
 * timestamp when inserted, so no row can join a closed day later). Each owning context fills its
 * rollup for closed days it lacks when the figures are first read, and reads the open day live
 * from the created_at index. One row per day, written once, so no row is hot: the ledger's writers
 * never wait on it (a trigger keeping per-day totals would serialise every posting on one row).
 *
 * Indexes for the rest: users by creation time (new this week, recent sign-ups), sessions by
 * creation time (active today), and the large ledger transactions (|amount| >= 1,000 credits).
 */
export class DashboardRollups1796373874447 implements MigrationInterface {
  name = 'DashboardRollups1796373874447';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ledger_daily_total (
        day          date        PRIMARY KEY,
        sold         bigint      NOT NULL CHECK (sold >= 0),
        spent        bigint      NOT NULL CHECK (spent >= 0),
        net          bigint      NOT NULL,
        transactions integer     NOT NULL CHECK (transactions >= 0),
        rolled_up_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ai_usage_daily (
        day            date        PRIMARY KEY,
        requests       integer     NOT NULL CHECK (requests >= 0),
        errors         integer     NOT NULL CHECK (errors >= 0 AND errors <= requests),
        input_tokens   bigint      NOT NULL CHECK (input_tokens >= 0),
        output_tokens  bigint      NOT NULL CHECK (output_tokens >= 0),
        credits        bigint      NOT NULL CHECK (credits >= 0),
        p95_latency_ms float8      CHECK (p95_latency_ms >= 0),
        rolled_up_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_identity_user_created ON identity_user (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX idx_identity_refresh_token_created ON identity_refresh_token (created_at)`);
    await queryRunner.query(`
      CREATE INDEX idx_ledger_transaction_large ON ledger_transaction (created_at DESC, id DESC)
        WHERE amount >= 1000000 OR amount <= -1000000`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_ledger_transaction_large`);
    await queryRunner.query(`DROP INDEX idx_identity_refresh_token_created`);
    await queryRunner.query(`DROP INDEX idx_identity_user_created`);
    await queryRunner.query(`DROP TABLE ai_usage_daily`);
    await queryRunner.query(`DROP TABLE ledger_daily_total`);
  }
}
