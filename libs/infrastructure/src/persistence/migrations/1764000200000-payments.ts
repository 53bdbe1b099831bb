import { MigrationInterface, QueryRunner } from 'typeorm';

const PAYMENT_STATUSES = `'pending','paid','failed','refunded','partially_refunded','expired'`;

/**
 * Stripe top-ups: the packages on sale, one payment per Checkout Session, the refund steps taken
 * back from a payment, and the Stripe events already handled (or parked until they can be).
 * Credits are milli-credits (bigint), money is integer minor units (cents) with its currency.
 */
export class Payments1764000200000 implements MigrationInterface {
  name = 'Payments1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE credit_package (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        code        text        NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,49}$'),
        name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        credits     bigint      NOT NULL CHECK (credits > 0),
        price_cents integer     NOT NULL CHECK (price_cents > 0),
        currency    text        NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        active      boolean     NOT NULL DEFAULT true,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_credit_package_code UNIQUE (code)
      )`);
    await queryRunner.query(`
      INSERT INTO credit_package (code, name, credits, price_cents, currency) VALUES
        ('starter', 'Starter', 100000, 1000, 'usd'),
        ('pro', 'Pro', 1000000, 8000, 'usd'),
        ('business', 'Business', 10000000, 60000, 'usd')`);

    // Package code, name, credits and price are copied at checkout: later edits never change a sale.
    await queryRunner.query(`
      CREATE TABLE payment (
        id                      uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id                 uuid        NOT NULL,
        package_id              uuid        NOT NULL REFERENCES credit_package (id),
        package_code            text        NOT NULL,
        package_name            text        NOT NULL,
        credits                 bigint      NOT NULL CHECK (credits > 0),
        amount_cents            integer     NOT NULL CHECK (amount_cents > 0),
        currency                text        NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        status                  text        NOT NULL DEFAULT 'pending' CHECK (status IN (${PAYMENT_STATUSES})),
        stripe_session_id       text,
        stripe_payment_intent   text,
        credited_transaction_id uuid        REFERENCES ledger_transaction (id),
        refunded_cents          integer     NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
        credits_reversed        bigint      NOT NULL DEFAULT 0 CHECK (credits_reversed >= 0),
        refund_shortfall        bigint      NOT NULL DEFAULT 0 CHECK (refund_shortfall >= 0),
        failure_reason          text        CHECK (length(failure_reason) <= 500),
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        paid_at                 timestamptz,
        CONSTRAINT uq_payment_stripe_session UNIQUE (stripe_session_id),
        CONSTRAINT chk_payment_credited CHECK (
          (status IN ('paid', 'refunded', 'partially_refunded')) = (credited_transaction_id IS NOT NULL AND paid_at IS NOT NULL)),
        CONSTRAINT chk_payment_reversal CHECK (credits_reversed + refund_shortfall <= credits)
      )`);
    await queryRunner.query(`CREATE INDEX idx_payment_user ON payment (user_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX idx_payment_created ON payment (created_at DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX idx_payment_intent ON payment (stripe_payment_intent) WHERE stripe_payment_intent IS NOT NULL`,
    );

    // One row per cumulative refunded amount Stripe reported for a payment's charge.
    await queryRunner.query(`
      CREATE TABLE payment_refund (
        id                        uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_id                uuid        NOT NULL REFERENCES payment (id),
        stripe_charge_id          text        NOT NULL,
        amount_refunded_cents     integer     NOT NULL CHECK (amount_refunded_cents > 0),
        credits_owed              bigint      NOT NULL CHECK (credits_owed >= 0),
        credits_taken             bigint      CHECK (credits_taken >= 0),
        chargeback_transaction_id uuid        REFERENCES ledger_transaction (id),
        status                    text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applying', 'applied')),
        claimed_at                timestamptz,
        created_at                timestamptz NOT NULL DEFAULT now(),
        applied_at                timestamptz,
        CONSTRAINT uq_payment_refund_step UNIQUE (payment_id, amount_refunded_cents),
        CONSTRAINT chk_payment_refund_taken CHECK (credits_taken <= credits_owed),
        CONSTRAINT chk_payment_refund_applied CHECK ((status = 'applied') = (credits_taken IS NOT NULL AND applied_at IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_payment_refund_open ON payment_refund (payment_id) WHERE status <> 'applied'`,
    );

    await queryRunner.query(`
      CREATE TABLE stripe_event (
        id             text        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 255),
        type           text        NOT NULL,
        status         text        NOT NULL CHECK (status IN ('processed', 'parked')),
        payment_intent text,
        payload        jsonb,
        received_at    timestamptz NOT NULL DEFAULT now(),
        processed_at   timestamptz,
        CONSTRAINT chk_stripe_event_parked CHECK ((status = 'parked') = (payload IS NOT NULL AND processed_at IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_stripe_event_parked ON stripe_event (payment_intent) WHERE status = 'parked'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE stripe_event`);
    await queryRunner.query(`DROP TABLE payment_refund`);
    await queryRunner.query(`DROP TABLE payment`);
    await queryRunner.query(`DROP TABLE credit_package`);
  }
}
