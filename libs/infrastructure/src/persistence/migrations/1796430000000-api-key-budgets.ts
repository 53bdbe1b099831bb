import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An API key's monthly credit budget and tokens-per-minute limit (both set by its owner; null: none).
 *
 * The budget is kept where holds are taken: `api_key_monthly_spend` counts, per key and calendar month
 * (UTC), the credits its active holds reserve and its settled holds captured. `ledger_hold` adds a
 * budgeted hold to that row with one conditional upsert, under the account lock it already takes, so
 * concurrent calls, streams and API instances cannot together pass the budget. A trigger on the hold's
 * settlement (capture, release, expiry: whatever settles it) moves it from reserved to spent, so the
 * row never drifts from the holds it counts. A hold counts in the month it was taken.
 */
export class ApiKeyBudgets1796430000000 implements MigrationInterface {
  name = 'ApiKeyBudgets1796430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE identity_api_key
        ADD COLUMN monthly_credit_budget bigint CONSTRAINT identity_api_key_monthly_credit_budget_positive CHECK (monthly_credit_budget > 0),
        ADD COLUMN tokens_per_minute integer CONSTRAINT identity_api_key_tokens_per_minute_positive CHECK (tokens_per_minute > 0)`);
    await queryRunner.query(`
      CREATE TABLE api_key_monthly_spend (
        api_key_id uuid   NOT NULL,
        month      date   NOT NULL CONSTRAINT chk_api_key_monthly_spend_month CHECK (extract(day FROM month) = 1),
        reserved   bigint NOT NULL DEFAULT 0 CONSTRAINT chk_api_key_monthly_spend_reserved CHECK (reserved >= 0),
        spent      bigint NOT NULL DEFAULT 0 CONSTRAINT chk_api_key_monthly_spend_spent CHECK (spent >= 0),
        PRIMARY KEY (api_key_id, month)
      )`);
    await queryRunner.query(`
      ALTER TABLE credit_hold
        ADD COLUMN budget_api_key_id uuid,
        ADD COLUMN budget_month date,
        ADD CONSTRAINT chk_credit_hold_budget CHECK ((budget_api_key_id IS NULL) = (budget_month IS NULL))`);

    // The same function with three more arguments, defaulted so the previous release's 9-argument
    // calls still work during a rolling deploy.
    await queryRunner.query(`DROP FUNCTION ledger_hold(uuid, bigint, timestamptz, text, text, text, text, jsonb, bigint)`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_hold(p_user_id uuid, p_amount bigint, p_expires_at timestamptz, p_description text,
                                  p_scope text, p_key text, p_hash text, p_metadata jsonb, p_threshold bigint,
                                  p_budget_key uuid DEFAULT NULL, p_budget_month date DEFAULT NULL,
                                  p_budget bigint DEFAULT NULL)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_account credit_account;
        v_hold credit_hold;
        v_spend api_key_monthly_spend;
      BEGIN
        SELECT * INTO v_account FROM credit_account WHERE user_id = p_user_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found');
        END IF;
        IF p_key IS NOT NULL THEN
          SELECT * INTO v_hold FROM credit_hold WHERE idempotency_scope = p_scope AND idempotency_key = p_key;
          IF FOUND THEN
            IF v_hold.request_hash IS DISTINCT FROM p_hash THEN
              RETURN jsonb_build_object('status', 'reused');
            END IF;
            RETURN jsonb_build_object('status', 'replayed', 'hold', ledger_hold_json(v_hold), 'account', ledger_account_json(v_account));
          END IF;
        END IF;
        IF v_account.balance - v_account.reserved < p_amount THEN
          RETURN jsonb_build_object('status', 'insufficient', 'available', (v_account.balance - v_account.reserved)::text);
        END IF;
        IF p_budget_key IS NOT NULL THEN
          -- Conditional: the row is locked and re-read before the check, so two holds cannot both fit
          -- in what is left. Nothing is written when it does not fit.
          IF p_amount <= p_budget THEN
            INSERT INTO api_key_monthly_spend AS s (api_key_id, month, reserved) VALUES (p_budget_key, p_budget_month, p_amount)
            ON CONFLICT (api_key_id, month) DO UPDATE SET reserved = s.reserved + EXCLUDED.reserved
             WHERE s.spent + s.reserved + EXCLUDED.reserved <= p_budget
            RETURNING * INTO v_spend;
          END IF;
          IF v_spend IS NULL THEN
            SELECT * INTO v_spend FROM api_key_monthly_spend WHERE api_key_id = p_budget_key AND month = p_budget_month;
            RETURN jsonb_build_object('status', 'over_budget', 'budget', p_budget::text,
                                      'spent', coalesce(v_spend.spent, 0)::text, 'reserved', coalesce(v_spend.reserved, 0)::text);
          END IF;
        END IF;
        v_account := ledger_save_account(v_account, v_account.balance, v_account.reserved + p_amount, v_account.expiring, p_threshold);
        INSERT INTO credit_hold (account_id, user_id, amount, description, idempotency_scope, idempotency_key, request_hash,
                                 metadata, expires_at, budget_api_key_id, budget_month)
        VALUES (v_account.id, p_user_id, p_amount, p_description, p_scope, p_key, p_hash, coalesce(p_metadata, '{}'), p_expires_at,
                p_budget_key, CASE WHEN p_budget_key IS NULL THEN NULL ELSE p_budget_month END)
        RETURNING * INTO v_hold;
        RETURN jsonb_build_object('status', 'held', 'hold', ledger_hold_json(v_hold), 'account', ledger_account_json(v_account));
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION api_key_monthly_spend_settle() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE api_key_monthly_spend SET reserved = reserved - NEW.amount, spent = spent + NEW.captured
         WHERE api_key_id = NEW.budget_api_key_id AND month = NEW.budget_month;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_credit_hold_budget_settle AFTER UPDATE OF status ON credit_hold
        FOR EACH ROW WHEN (OLD.status = 'active' AND NEW.status <> 'active' AND NEW.budget_api_key_id IS NOT NULL)
        EXECUTE FUNCTION api_key_monthly_spend_settle()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_credit_hold_budget_settle ON credit_hold`);
    await queryRunner.query(`DROP FUNCTION api_key_monthly_spend_settle()`);
    await queryRunner.query(`DROP FUNCTION ledger_hold(uuid, bigint, timestamptz, text, text, text, text, jsonb, bigint, uuid, date, bigint)`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_hold(p_user_id uuid, p_amount bigint, p_expires_at timestamptz, p_description text,
                                  p_scope text, p_key text, p_hash text, p_metadata jsonb, p_threshold bigint)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_account credit_account;
        v_hold credit_hold;
      BEGIN
        SELECT * INTO v_account FROM credit_account WHERE user_id = p_user_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found');
        END IF;
        IF p_key IS NOT NULL THEN
          SELECT * INTO v_hold FROM credit_hold WHERE idempotency_scope = p_scope AND idempotency_key = p_key;
          IF FOUND THEN
            IF v_hold.request_hash IS DISTINCT FROM p_hash THEN
              RETURN jsonb_build_object('status', 'reused');
            END IF;
            RETURN jsonb_build_object('status', 'replayed', 'hold', ledger_hold_json(v_hold), 'account', ledger_account_json(v_account));
          END IF;
        END IF;
        IF v_account.balance - v_account.reserved < p_amount THEN
          RETURN jsonb_build_object('status', 'insufficient', 'available', (v_account.balance - v_account.reserved)::text);
        END IF;
        v_account := ledger_save_account(v_account, v_account.balance, v_account.reserved + p_amount, v_account.expiring, p_threshold);
        INSERT INTO credit_hold (account_id, user_id, amount, description, idempotency_scope, idempotency_key, request_hash,
                                 metadata, expires_at)
        VALUES (v_account.id, p_user_id, p_amount, p_description, p_scope, p_key, p_hash, coalesce(p_metadata, '{}'), p_expires_at)
        RETURNING * INTO v_hold;
        RETURN jsonb_build_object('status', 'held', 'hold', ledger_hold_json(v_hold), 'account', ledger_account_json(v_account));
      END $$`);
    await queryRunner.query(`ALTER TABLE credit_hold DROP CONSTRAINT chk_credit_hold_budget, DROP COLUMN budget_month, DROP COLUMN budget_api_key_id`);
    await queryRunner.query(`DROP TABLE api_key_monthly_spend`);
    await queryRunner.query(`ALTER TABLE identity_api_key DROP COLUMN tokens_per_minute, DROP COLUMN monthly_credit_budget`);
  }
}
