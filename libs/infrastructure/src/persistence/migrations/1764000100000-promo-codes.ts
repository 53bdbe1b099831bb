import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Promo codes and their redemptions. The use counter can never pass the limit (a CHECK backs the
 * conditional UPDATE that claims a use), and a user redeems a code at most once (a UNIQUE). A
 * redemption whose `transaction_id` is still NULL has claimed its use but not yet received its
 * credits: the next attempt of that user completes it.
 */
export class PromoCodes1764000100000 implements MigrationInterface {
  name = 'PromoCodes1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE promo_code (
        id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Stored normalised (upper-case) so that lookups are case-insensitive through a plain UNIQUE.
        code               text        NOT NULL CHECK (code ~ '^[A-Z0-9_-]{3,32}$'),
        credits            bigint      NOT NULL CHECK (credits > 0),
        max_uses           integer     CHECK (max_uses > 0),
        uses               integer     NOT NULL DEFAULT 0 CHECK (uses >= 0),
        expires_at         timestamptz,
        credits_valid_days integer     CHECK (credits_valid_days > 0),
        active             boolean     NOT NULL DEFAULT true,
        created_by         uuid,
        created_at         timestamptz NOT NULL DEFAULT now(),
        deactivated_at     timestamptz,
        CONSTRAINT uq_promo_code_code UNIQUE (code),
        CONSTRAINT chk_promo_code_uses_within_limit CHECK (max_uses IS NULL OR uses <= max_uses),
        CONSTRAINT chk_promo_code_deactivated CHECK (active = (deactivated_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_promo_code_created ON promo_code (created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE promo_redemption (
        id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        promo_code_id  uuid        NOT NULL REFERENCES promo_code (id),
        user_id        uuid        NOT NULL,
        transaction_id uuid        REFERENCES ledger_transaction (id),
        redeemed_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_promo_redemption_user UNIQUE (promo_code_id, user_id),
        CONSTRAINT uq_promo_redemption_transaction UNIQUE (transaction_id)
      )`);
    // Redemptions whose grant never finished, for the job that completes them.
    await queryRunner.query(`CREATE INDEX idx_promo_redemption_unpaid ON promo_redemption (redeemed_at) WHERE transaction_id IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE promo_redemption`);
    await queryRunner.query(`DROP TABLE promo_code`);
  }
}
