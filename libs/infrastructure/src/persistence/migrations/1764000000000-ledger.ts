import { MigrationInterface, QueryRunner } from 'typeorm';

const TRANSACTION_TYPES = `'welcome','grant','promo','purchase','adjustment','debit','usage','refund','expiry','chargeback'`;
const SYSTEM_ACCOUNTS = [
  'system:welcome',
  'system:promotions',
  'system:purchases',
  'system:adjustments',
  'system:grants',
  'system:usage_revenue',
  'system:expired',
];

/**
 * The credit ledger. Double-entry: every transaction's entries sum to zero (checked at commit by a
 * deferred trigger); transactions and entries are append-only (triggers refuse UPDATE, DELETE and
 * TRUNCATE). A user account's balance is updated in the same transaction as its entries and can
 * never go below what it holds in reserve.
 */
export class Ledger1764000000000 implements MigrationInterface {
  name = 'Ledger1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE credit_account (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid,
        code        text,
        balance     bigint      NOT NULL DEFAULT 0,
        reserved    bigint      NOT NULL DEFAULT 0,
        expiring    bigint      NOT NULL DEFAULT 0,
        alert_level text        NOT NULL DEFAULT 'ok' CHECK (alert_level IN ('ok', 'low', 'depleted')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_credit_account_user UNIQUE (user_id),
        CONSTRAINT uq_credit_account_code UNIQUE (code),
        CONSTRAINT chk_credit_account_owner CHECK ((user_id IS NULL) <> (code IS NULL)),
        -- System accounts keep no running balance (their balance is the sum of their entries).
        CONSTRAINT chk_credit_account_system_totals CHECK (code IS NULL OR (balance = 0 AND reserved = 0 AND expiring = 0)),
        CONSTRAINT chk_credit_account_not_negative CHECK (reserved >= 0 AND expiring >= 0 AND reserved <= balance AND expiring <= balance)
      )`);
    await queryRunner.query(
      `INSERT INTO credit_account (code) VALUES ${SYSTEM_ACCOUNTS.map((code) => `('${code}')`).join(', ')}`,
    );

    await queryRunner.query(`
      CREATE TABLE ledger_transaction (
        id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        type              text        NOT NULL CHECK (type IN (${TRANSACTION_TYPES})),
        user_id           uuid        NOT NULL,
        amount            bigint      NOT NULL CHECK (amount <> 0),
        balance_after     bigint      NOT NULL CHECK (balance_after >= 0),
        reason            text        CHECK (length(reason) <= 500),
        actor_id          uuid,
        idempotency_scope text,
        idempotency_key   text        CHECK (length(idempotency_key) BETWEEN 1 AND 255),
        request_hash      text,
        reverses_id       uuid        REFERENCES ledger_transaction (id),
        metadata          jsonb       NOT NULL DEFAULT '{}',
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT chk_ledger_transaction_idempotency CHECK ((idempotency_key IS NULL) = (idempotency_scope IS NULL))
      )`);
    // Kept for good (the rows are immutable), so a key is remembered far longer than the 24 h promised.
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ledger_transaction_idempotency
        ON ledger_transaction (idempotency_scope, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX idx_ledger_transaction_user ON ledger_transaction (user_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX idx_ledger_transaction_created ON ledger_transaction (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX idx_ledger_transaction_reverses ON ledger_transaction (reverses_id) WHERE reverses_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE ledger_entry (
        id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id uuid        NOT NULL REFERENCES ledger_transaction (id),
        account_id     uuid        NOT NULL REFERENCES credit_account (id),
        amount         bigint      NOT NULL CHECK (amount <> 0)
      )`);
    await queryRunner.query(`CREATE INDEX idx_ledger_entry_transaction ON ledger_entry (transaction_id)`);
    await queryRunner.query(`CREATE INDEX idx_ledger_entry_account ON ledger_entry (account_id)`);

    await queryRunner.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of ['ledger_transaction', 'ledger_entry']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }

    // Checked at commit, once all of a transaction's entries are in.
    await queryRunner.query(`
      CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE total numeric;
      BEGIN
        SELECT sum(amount) INTO total FROM ledger_entry WHERE transaction_id = NEW.transaction_id;
        IF total <> 0 THEN
          RAISE EXCEPTION 'ledger transaction % does not balance (sum %)', NEW.transaction_id, total
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()`);

    // Reservations for work whose cost is known later (AI streams, media jobs).
    await queryRunner.query(`
      CREATE TABLE credit_hold (
        id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id             uuid        NOT NULL REFERENCES credit_account (id),
        user_id                uuid        NOT NULL,
        amount                 bigint      NOT NULL CHECK (amount > 0),
        captured               bigint      NOT NULL DEFAULT 0,
        status                 text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'captured', 'released', 'expired')),
        description            text        CHECK (length(description) <= 200),
        idempotency_scope      text,
        idempotency_key        text        CHECK (length(idempotency_key) BETWEEN 1 AND 255),
        request_hash           text,
        capture_transaction_id uuid        REFERENCES ledger_transaction (id),
        metadata               jsonb       NOT NULL DEFAULT '{}',
        created_at             timestamptz NOT NULL DEFAULT now(),
        expires_at             timestamptz NOT NULL,
        settled_at             timestamptz,
        CONSTRAINT chk_credit_hold_captured CHECK (captured >= 0 AND captured <= amount),
        CONSTRAINT chk_credit_hold_settled CHECK ((status = 'active') = (settled_at IS NULL))
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_credit_hold_idempotency
        ON credit_hold (idempotency_scope, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX idx_credit_hold_active_expiry ON credit_hold (expires_at) WHERE status = 'active'`);
    await queryRunner.query(`CREATE INDEX idx_credit_hold_account_active ON credit_hold (account_id) WHERE status = 'active'`);

    // Expiring grants: what is left of each, spent soonest-expiring first and expired by a job.
    await queryRunner.query(`
      CREATE TABLE credit_lot (
        id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id     uuid        NOT NULL REFERENCES credit_account (id),
        transaction_id uuid        NOT NULL REFERENCES ledger_transaction (id),
        amount         bigint      NOT NULL CHECK (amount > 0),
        remaining      bigint      NOT NULL CHECK (remaining >= 0),
        expires_at     timestamptz NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_credit_lot_remaining CHECK (remaining <= amount)
      )`);
    await queryRunner.query(`CREATE INDEX idx_credit_lot_open ON credit_lot (account_id, expires_at) WHERE remaining > 0`);
    await queryRunner.query(`CREATE INDEX idx_credit_lot_expiry ON credit_lot (expires_at) WHERE remaining > 0`);

    // The outbox gains retry bookkeeping now that a relay consumes it.
    await queryRunner.query(`
      ALTER TABLE outbox_event
        ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN last_error      text`);
    await queryRunner.query(`DROP INDEX idx_outbox_event_unpublished`);
    await queryRunner.query(
      `CREATE INDEX idx_outbox_event_due ON outbox_event (next_attempt_at, id) WHERE published_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_outbox_event_due`);
    await queryRunner.query(`CREATE INDEX idx_outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL`);
    await queryRunner.query(`ALTER TABLE outbox_event DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN last_error`);
    await queryRunner.query(`DROP TABLE credit_lot`);
    await queryRunner.query(`DROP TABLE credit_hold`);
    await queryRunner.query(`DROP TABLE ledger_entry`);
    await queryRunner.query(`DROP TABLE ledger_transaction`);
    await queryRunner.query(`DROP FUNCTION ledger_check_balanced`);
    await queryRunner.query(`DROP FUNCTION ledger_refuse_change`);
    await queryRunner.query(`DROP TABLE credit_account`);
  }
}
