import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_TYPES = `'welcome','grant','promo','purchase','adjustment','debit','usage','refund','expiry','chargeback'`;

/**
 * Team wallets: a team owns a credit account under the ledger's double-entry rules, and API keys made
 * in the team's name spend from it.
 *
 * - `credit_account.team_id`: the team's account keeps a running balance like a user's (system
 *   accounts still do not). Team accounts raise no low-balance events (those are per user).
 * - `ledger_transaction.user_id` is the user whose account the row's amount and balance_after
 *   describe; NULL when only a team wallet moved (`team_id` says which). `actor_id` names who acted:
 *   the admin who adjusted, the member who spent. A transfer from a user to a team is ONE transaction
 *   (type 'transfer', user_id the payer, team_id the wallet) with the user's and the team's entries.
 * - A team hold (`credit_hold.team_id`) reserves on the team account; `user_id` is the member who
 *   spends. The member's limits per day and month (UTC) and the team's monthly cap are checked in
 *   `ledger_team_hold` under the team account's lock, against spend rows that count what active holds
 *   reserve and settled ones captured (moved by a trigger on settlement, as for API key budgets), so
 *   concurrent calls, streams and API instances cannot together pass them.
 */
export class TeamWallets1796500000000 implements MigrationInterface {
  name = 'TeamWallets1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE credit_account
        ADD COLUMN team_id uuid,
        ADD CONSTRAINT uq_credit_account_team UNIQUE (team_id),
        DROP CONSTRAINT chk_credit_account_owner,
        ADD CONSTRAINT chk_credit_account_owner CHECK (num_nonnulls(user_id, team_id, code) = 1)`);
    await queryRunner.query(`
      ALTER TABLE ledger_transaction
        ALTER COLUMN user_id DROP NOT NULL,
        ADD COLUMN team_id uuid,
        ADD CONSTRAINT chk_ledger_transaction_owner CHECK (user_id IS NOT NULL OR team_id IS NOT NULL),
        DROP CONSTRAINT ledger_transaction_type_check,
        ADD CONSTRAINT ledger_transaction_type_check CHECK (type IN (${OLD_TYPES}, 'transfer'))`);
    await queryRunner.query(
      `CREATE INDEX idx_ledger_transaction_team ON ledger_transaction (team_id, created_at DESC, id DESC) WHERE team_id IS NOT NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE credit_hold
        ADD COLUMN team_id uuid,
        ADD COLUMN team_day date,
        ADD CONSTRAINT chk_credit_hold_team CHECK ((team_id IS NULL) = (team_day IS NULL))`);
    await queryRunner.query(`
      ALTER TABLE identity_api_key ADD COLUMN team_id uuid REFERENCES identity_team (id) ON DELETE CASCADE`);
    await queryRunner.query(`CREATE INDEX idx_identity_api_key_team ON identity_api_key (team_id) WHERE team_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE team_spending_limit (
        team_id     uuid        PRIMARY KEY,
        monthly_cap bigint      CONSTRAINT chk_team_spending_limit_cap CHECK (monthly_cap > 0),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE team_member_spending_limit (
        team_id         uuid        NOT NULL,
        user_id         uuid        NOT NULL,
        daily_credits   bigint      CONSTRAINT chk_team_member_limit_daily CHECK (daily_credits > 0),
        monthly_credits bigint      CONSTRAINT chk_team_member_limit_monthly CHECK (monthly_credits > 0),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, user_id)
      )`);
    // One row per member and UTC day, per member and month, and per team and month ('month' rows
    // start on the 1st; the team's own rows have user_id NULL, hence the surrogate-free unique index).
    await queryRunner.query(`
      CREATE TABLE team_spend (
        team_id  uuid   NOT NULL,
        user_id  uuid,
        period   text   NOT NULL CONSTRAINT chk_team_spend_period CHECK (period IN ('day', 'month')),
        starts   date   NOT NULL,
        reserved bigint NOT NULL DEFAULT 0 CONSTRAINT chk_team_spend_reserved CHECK (reserved >= 0),
        spent    bigint NOT NULL DEFAULT 0 CONSTRAINT chk_team_spend_spent CHECK (spent >= 0),
        CONSTRAINT chk_team_spend_shape CHECK ((period = 'month' AND extract(day FROM starts) = 1) OR (period = 'day' AND user_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_team_spend ON team_spend (team_id, coalesce(user_id, team_id), period, starts)`);

    // Team accounts take no part in the per-user outbox events (credit.granted, service.completed).
    await queryRunner.query(`DROP TRIGGER trg_ledger_transaction_outbox ON ledger_transaction`);
    await queryRunner.query(`
      CREATE TRIGGER trg_ledger_transaction_outbox AFTER INSERT ON ledger_transaction
        FOR EACH ROW WHEN (NEW.user_id IS NOT NULL AND NEW.team_id IS NULL) EXECUTE FUNCTION ledger_transaction_outbox()`);

    await queryRunner.query(`
      CREATE FUNCTION ledger_team_account_json(a credit_account) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT jsonb_build_object('team_id', a.team_id, 'balance', a.balance::text, 'reserved', a.reserved::text)
      $$`);

    // Posts one transaction against a team's account alone (the counter side a system account).
    // p_reserved_delta lets a capture free its hold in the same step.
    await queryRunner.query(`
      CREATE FUNCTION ledger_team_post(p_team_id uuid, p_type text, p_amount bigint, p_reason text, p_actor_id uuid,
                                       p_scope text, p_key text, p_hash text, p_metadata jsonb, p_counter text,
                                       p_reserved_delta bigint DEFAULT 0)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_account credit_account;
        v_tx ledger_transaction;
        v_counter uuid;
        v_balance bigint;
        v_reserved bigint;
      BEGIN
        SELECT * INTO v_account FROM credit_account WHERE team_id = p_team_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found');
        END IF;
        IF p_key IS NOT NULL THEN
          SELECT * INTO v_tx FROM ledger_transaction WHERE idempotency_scope = p_scope AND idempotency_key = p_key;
          IF FOUND THEN
            IF v_tx.request_hash IS DISTINCT FROM p_hash OR v_tx.team_id IS DISTINCT FROM p_team_id THEN
              RETURN jsonb_build_object('status', 'reused');
            END IF;
            RETURN jsonb_build_object('status', 'replayed', 'transaction', ledger_transaction_json(v_tx),
                                      'account', ledger_team_account_json(v_account));
          END IF;
        END IF;
        v_reserved := v_account.reserved + p_reserved_delta;
        v_balance := v_account.balance + p_amount;
        IF p_amount < 0 AND v_balance < v_reserved THEN
          RETURN jsonb_build_object('status', 'insufficient', 'available', (v_account.balance - v_reserved)::text);
        END IF;
        UPDATE credit_account SET balance = v_balance, reserved = v_reserved, updated_at = now()
         WHERE id = v_account.id RETURNING * INTO v_account;
        SELECT id INTO v_counter FROM credit_account WHERE code = p_counter;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'system account % is missing', p_counter;
        END IF;
        INSERT INTO ledger_transaction (type, user_id, team_id, amount, balance_after, reason, actor_id, idempotency_scope,
                                        idempotency_key, request_hash, metadata)
        VALUES (p_type, NULL, p_team_id, p_amount, v_balance, p_reason, p_actor_id, p_scope, p_key, p_hash, coalesce(p_metadata, '{}'))
        RETURNING * INTO v_tx;
        INSERT INTO ledger_entry (transaction_id, account_id, amount)
        VALUES (v_tx.id, v_account.id, p_amount), (v_tx.id, v_counter, -p_amount);
        RETURN jsonb_build_object('status', 'posted', 'transaction', ledger_transaction_json(v_tx),
                                  'account', ledger_team_account_json(v_account));
      END $$`);

    // A user's credits into a team's wallet: one transaction, the user's entry and the team's. Both
    // accounts are locked in id order, so transfers and holds on either queue instead of deadlocking.
    // The user's soonest-expiring credits go first, as for any spending.
    await queryRunner.query(`
      CREATE FUNCTION ledger_transfer_to_team(p_user_id uuid, p_team_id uuid, p_amount bigint, p_reason text, p_actor_id uuid,
                                              p_scope text, p_key text, p_hash text, p_metadata jsonb, p_threshold bigint)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_user credit_account;
        v_team credit_account;
        v_tx ledger_transaction;
        v_balance bigint;
        v_expiring bigint;
      BEGIN
        PERFORM 1 FROM credit_account WHERE user_id = p_user_id OR team_id = p_team_id ORDER BY id FOR UPDATE;
        SELECT * INTO v_user FROM credit_account WHERE user_id = p_user_id;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found', 'missing', 'user');
        END IF;
        SELECT * INTO v_team FROM credit_account WHERE team_id = p_team_id;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found', 'missing', 'team');
        END IF;
        IF p_amount <= 0 THEN
          RAISE EXCEPTION 'a transfer must be positive';
        END IF;
        IF p_key IS NOT NULL THEN
          SELECT * INTO v_tx FROM ledger_transaction WHERE idempotency_scope = p_scope AND idempotency_key = p_key;
          IF FOUND THEN
            IF v_tx.request_hash IS DISTINCT FROM p_hash OR v_tx.user_id IS DISTINCT FROM p_user_id
               OR v_tx.team_id IS DISTINCT FROM p_team_id THEN
              RETURN jsonb_build_object('status', 'reused');
            END IF;
            RETURN jsonb_build_object('status', 'replayed', 'transaction', ledger_transaction_json(v_tx),
                                      'account', ledger_team_account_json(v_team));
          END IF;
        END IF;
        v_balance := v_user.balance - p_amount;
        IF v_balance < v_user.reserved THEN
          RETURN jsonb_build_object('status', 'insufficient', 'available', (v_user.balance - v_user.reserved)::text);
        END IF;
        v_expiring := v_user.expiring;
        IF v_expiring > 0 THEN
          UPDATE credit_lot l SET remaining = l.remaining - LEAST(l.remaining, p_amount - o.before)
            FROM (SELECT id, sum(remaining) OVER (ORDER BY expires_at, id) - remaining AS before
                    FROM credit_lot WHERE account_id = v_user.id AND remaining > 0) o
           WHERE l.id = o.id AND o.before < p_amount;
          v_expiring := GREATEST(v_expiring - p_amount, 0);
        END IF;
        v_user := ledger_save_account(v_user, v_balance, v_user.reserved, v_expiring, p_threshold);
        UPDATE credit_account SET balance = balance + p_amount, updated_at = now() WHERE id = v_team.id RETURNING * INTO v_team;
        INSERT INTO ledger_transaction (type, user_id, team_id, amount, balance_after, reason, actor_id, idempotency_scope,
                                        idempotency_key, request_hash, metadata)
        VALUES ('transfer', p_user_id, p_team_id, -p_amount, v_balance, p_reason, p_actor_id, p_scope, p_key, p_hash,
                coalesce(p_metadata, '{}'))
        RETURNING * INTO v_tx;
        INSERT INTO ledger_entry (transaction_id, account_id, amount)
        VALUES (v_tx.id, v_user.id, -p_amount), (v_tx.id, v_team.id, p_amount);
        RETURN jsonb_build_object('status', 'posted', 'transaction', ledger_transaction_json(v_tx),
                                  'account', ledger_team_account_json(v_team));
      END $$`);

    // A member's hold on the team wallet. Every limit is read and checked before anything is written,
    // under the team account's lock, which every hold and settlement on the wallet takes first.
    await queryRunner.query(`
      CREATE FUNCTION ledger_team_hold(p_team_id uuid, p_user_id uuid, p_amount bigint, p_expires_at timestamptz,
                                       p_description text, p_scope text, p_key text, p_hash text, p_metadata jsonb,
                                       p_day date, p_budget_key uuid, p_budget_month date, p_budget bigint)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_account credit_account;
        v_hold credit_hold;
        v_month date := date_trunc('month', p_day)::date;
        v_member team_member_spending_limit;
        v_cap bigint;
        v_used bigint;
        v_spend api_key_monthly_spend;
      BEGIN
        SELECT * INTO v_account FROM credit_account WHERE team_id = p_team_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found');
        END IF;
        -- Rights are checked when used: a member removed from the team can no longer spend its credits.
        PERFORM 1 FROM identity_team_member WHERE team_id = p_team_id AND user_id = p_user_id;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_member');
        END IF;
        IF p_key IS NOT NULL THEN
          SELECT * INTO v_hold FROM credit_hold WHERE idempotency_scope = p_scope AND idempotency_key = p_key;
          IF FOUND THEN
            IF v_hold.request_hash IS DISTINCT FROM p_hash THEN
              RETURN jsonb_build_object('status', 'reused');
            END IF;
            RETURN jsonb_build_object('status', 'replayed', 'hold', ledger_hold_json(v_hold), 'account', ledger_team_account_json(v_account));
          END IF;
        END IF;
        IF v_account.balance - v_account.reserved < p_amount THEN
          RETURN jsonb_build_object('status', 'insufficient', 'available', (v_account.balance - v_account.reserved)::text);
        END IF;

        SELECT * INTO v_member FROM team_member_spending_limit WHERE team_id = p_team_id AND user_id = p_user_id;
        IF v_member.daily_credits IS NOT NULL THEN
          SELECT coalesce(sum(spent + reserved), 0) INTO v_used FROM team_spend
           WHERE team_id = p_team_id AND user_id = p_user_id AND period = 'day' AND starts = p_day;
          IF v_used + p_amount > v_member.daily_credits THEN
            RETURN jsonb_build_object('status', 'over_budget', 'limit', 'member_daily', 'budget', v_member.daily_credits::text,
                                      'used', v_used::text, 'period', p_day);
          END IF;
        END IF;
        IF v_member.monthly_credits IS NOT NULL THEN
          SELECT coalesce(sum(spent + reserved), 0) INTO v_used FROM team_spend
           WHERE team_id = p_team_id AND user_id = p_user_id AND period = 'month' AND starts = v_month;
          IF v_used + p_amount > v_member.monthly_credits THEN
            RETURN jsonb_build_object('status', 'over_budget', 'limit', 'member_monthly', 'budget', v_member.monthly_credits::text,
                                      'used', v_used::text, 'period', v_month);
          END IF;
        END IF;
        SELECT monthly_cap INTO v_cap FROM team_spending_limit WHERE team_id = p_team_id;
        IF v_cap IS NOT NULL THEN
          SELECT coalesce(sum(spent + reserved), 0) INTO v_used FROM team_spend
           WHERE team_id = p_team_id AND user_id IS NULL AND period = 'month' AND starts = v_month;
          IF v_used + p_amount > v_cap THEN
            RETURN jsonb_build_object('status', 'over_budget', 'limit', 'team_monthly', 'budget', v_cap::text,
                                      'used', v_used::text, 'period', v_month);
          END IF;
        END IF;
        IF p_budget_key IS NOT NULL THEN
          -- The key's own budget last: its conditional upsert writes only when the hold fits.
          IF p_amount <= p_budget THEN
            INSERT INTO api_key_monthly_spend AS s (api_key_id, month, reserved) VALUES (p_budget_key, p_budget_month, p_amount)
            ON CONFLICT (api_key_id, month) DO UPDATE SET reserved = s.reserved + EXCLUDED.reserved
             WHERE s.spent + s.reserved + EXCLUDED.reserved <= p_budget
            RETURNING * INTO v_spend;
          END IF;
          IF v_spend IS NULL THEN
            SELECT * INTO v_spend FROM api_key_monthly_spend WHERE api_key_id = p_budget_key AND month = p_budget_month;
            RETURN jsonb_build_object('status', 'over_budget', 'limit', 'api_key', 'budget', p_budget::text,
                                      'used', (coalesce(v_spend.spent, 0) + coalesce(v_spend.reserved, 0))::text, 'period', p_budget_month);
          END IF;
        END IF;

        INSERT INTO team_spend AS s (team_id, user_id, period, starts, reserved)
        VALUES (p_team_id, p_user_id, 'day', p_day, p_amount), (p_team_id, p_user_id, 'month', v_month, p_amount),
               (p_team_id, NULL, 'month', v_month, p_amount)
        ON CONFLICT (team_id, coalesce(user_id, team_id), period, starts) DO UPDATE SET reserved = s.reserved + EXCLUDED.reserved;
        UPDATE credit_account SET reserved = reserved + p_amount, updated_at = now() WHERE id = v_account.id RETURNING * INTO v_account;
        INSERT INTO credit_hold (account_id, user_id, team_id, team_day, amount, description, idempotency_scope, idempotency_key,
                                 request_hash, metadata, expires_at, budget_api_key_id, budget_month)
        VALUES (v_account.id, p_user_id, p_team_id, p_day, p_amount, p_description, p_scope, p_key, p_hash,
                coalesce(p_metadata, '{}') || jsonb_build_object('teamId', p_team_id, 'memberId', p_user_id), p_expires_at,
                p_budget_key, CASE WHEN p_budget_key IS NULL THEN NULL ELSE p_budget_month END)
        RETURNING * INTO v_hold;
        RETURN jsonb_build_object('status', 'held', 'hold', ledger_hold_json(v_hold), 'account', ledger_team_account_json(v_account));
      END $$`);

    // Settling a team hold: the usage is posted on the team account (the member as its actor).
    await queryRunner.query(`
      CREATE FUNCTION ledger_team_settle(p_hold_id uuid, p_amount bigint, p_release_status text, p_reason text,
                                         p_metadata jsonb, p_counter text)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_account credit_account;
        v_hold credit_hold;
        v_posted jsonb;
        v_account_json jsonb;
      BEGIN
        SELECT a.* INTO v_account FROM credit_account a JOIN credit_hold h ON h.account_id = a.id WHERE h.id = p_hold_id FOR UPDATE OF a;
        SELECT * INTO v_hold FROM credit_hold WHERE id = p_hold_id;
        IF p_release_status IS NOT NULL THEN
          IF v_hold.status IN ('released', 'expired') THEN
            RETURN jsonb_build_object('status', 'replayed', 'hold', ledger_hold_json(v_hold), 'account', ledger_team_account_json(v_account));
          END IF;
          IF v_hold.status = 'captured' THEN
            RETURN jsonb_build_object('status', 'settled', 'hold_status', v_hold.status);
          END IF;
          UPDATE credit_account SET reserved = reserved - v_hold.amount, updated_at = now() WHERE id = v_account.id RETURNING * INTO v_account;
          UPDATE credit_hold SET status = p_release_status, settled_at = now() WHERE id = p_hold_id RETURNING * INTO v_hold;
          RETURN jsonb_build_object('status', 'released', 'hold', ledger_hold_json(v_hold), 'account', ledger_team_account_json(v_account));
        END IF;
        IF v_hold.status <> 'active' THEN
          IF v_hold.status = 'captured' AND v_hold.captured = p_amount THEN
            RETURN jsonb_build_object('status', 'replayed', 'hold', ledger_hold_json(v_hold), 'account', ledger_team_account_json(v_account));
          END IF;
          RETURN jsonb_build_object('status', 'settled', 'hold_status', v_hold.status);
        END IF;
        IF p_amount < 0 OR p_amount > v_hold.amount THEN
          RETURN jsonb_build_object('status', 'out_of_range', 'held', v_hold.amount::text);
        END IF;
        IF p_amount > 0 THEN
          v_posted := ledger_team_post(v_hold.team_id, 'usage', -p_amount, coalesce(p_reason, v_hold.description), v_hold.user_id,
                                       NULL, NULL, NULL, v_hold.metadata || coalesce(p_metadata, '{}') || jsonb_build_object('holdId', p_hold_id),
                                       p_counter, -v_hold.amount);
          v_account_json := v_posted -> 'account';
        ELSE
          UPDATE credit_account SET reserved = reserved - v_hold.amount, updated_at = now() WHERE id = v_account.id RETURNING * INTO v_account;
          v_account_json := ledger_team_account_json(v_account);
        END IF;
        UPDATE credit_hold
           SET status = 'captured', captured = p_amount, settled_at = now(),
               capture_transaction_id = (v_posted -> 'transaction' ->> 'id')::uuid
         WHERE id = p_hold_id
        RETURNING * INTO v_hold;
        RETURN jsonb_build_object('status', 'captured', 'hold', ledger_hold_json(v_hold), 'account', v_account_json);
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION team_spend_settle() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE team_spend SET reserved = reserved - NEW.amount, spent = spent + NEW.captured
         WHERE team_id = NEW.team_id
           AND ((user_id = NEW.user_id AND period = 'day' AND starts = NEW.team_day)
             OR (user_id = NEW.user_id AND period = 'month' AND starts = date_trunc('month', NEW.team_day)::date)
             OR (user_id IS NULL AND period = 'month' AND starts = date_trunc('month', NEW.team_day)::date));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_credit_hold_team_spend_settle AFTER UPDATE OF status ON credit_hold
        FOR EACH ROW WHEN (OLD.status = 'active' AND NEW.status <> 'active' AND NEW.team_id IS NOT NULL)
        EXECUTE FUNCTION team_spend_settle()`);

    // Capture and release route team holds to ledger_team_settle; user holds take the path they took.
    await queryRunner.query(`ALTER FUNCTION ledger_capture(uuid, bigint, text, jsonb, text, bigint) RENAME TO ledger_user_capture`);
    await queryRunner.query(`ALTER FUNCTION ledger_release(uuid, text, bigint) RENAME TO ledger_user_release`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_capture(p_hold_id uuid, p_amount bigint, p_reason text, p_metadata jsonb, p_counter text,
                                     p_threshold bigint)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM credit_hold WHERE id = p_hold_id AND team_id IS NOT NULL) THEN
          RETURN ledger_team_settle(p_hold_id, p_amount, NULL, p_reason, p_metadata, p_counter);
        END IF;
        RETURN ledger_user_capture(p_hold_id, p_amount, p_reason, p_metadata, p_counter, p_threshold);
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_release(p_hold_id uuid, p_status text, p_threshold bigint)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM credit_hold WHERE id = p_hold_id AND team_id IS NOT NULL) THEN
          RETURN ledger_team_settle(p_hold_id, 0, p_status, NULL, NULL, NULL);
        END IF;
        RETURN ledger_user_release(p_hold_id, p_status, p_threshold);
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ledger_release(uuid, text, bigint)`);
    await queryRunner.query(`DROP FUNCTION ledger_capture(uuid, bigint, text, jsonb, text, bigint)`);
    await queryRunner.query(`ALTER FUNCTION ledger_user_release(uuid, text, bigint) RENAME TO ledger_release`);
    await queryRunner.query(`ALTER FUNCTION ledger_user_capture(uuid, bigint, text, jsonb, text, bigint) RENAME TO ledger_capture`);
    await queryRunner.query(`DROP TRIGGER trg_credit_hold_team_spend_settle ON credit_hold`);
    await queryRunner.query(`DROP FUNCTION team_spend_settle()`);
    await queryRunner.query(`DROP FUNCTION ledger_team_settle(uuid, bigint, text, text, jsonb, text)`);
    await queryRunner.query(`DROP FUNCTION ledger_team_hold(uuid, uuid, bigint, timestamptz, text, text, text, text, jsonb, date, uuid, date, bigint)`);
    await queryRunner.query(`DROP FUNCTION ledger_transfer_to_team(uuid, uuid, bigint, text, uuid, text, text, text, jsonb, bigint)`);
    await queryRunner.query(`DROP FUNCTION ledger_team_post(uuid, text, bigint, text, uuid, text, text, text, jsonb, text, bigint)`);
    await queryRunner.query(`DROP FUNCTION ledger_team_account_json(credit_account)`);
    await queryRunner.query(`DROP TRIGGER trg_ledger_transaction_outbox ON ledger_transaction`);
    await queryRunner.query(`
      CREATE TRIGGER trg_ledger_transaction_outbox AFTER INSERT ON ledger_transaction
        FOR EACH ROW EXECUTE FUNCTION ledger_transaction_outbox()`);
    await queryRunner.query(`DROP TABLE team_spend`);
    await queryRunner.query(`DROP TABLE team_member_spending_limit`);
    await queryRunner.query(`DROP TABLE team_spending_limit`);
    await queryRunner.query(`ALTER TABLE identity_api_key DROP COLUMN team_id`);
    await queryRunner.query(`ALTER TABLE credit_hold DROP CONSTRAINT chk_credit_hold_team, DROP COLUMN team_day, DROP COLUMN team_id`);
    // Team rows cannot survive the old constraints: a down migration is for an empty or test database.
    await queryRunner.query(`DROP INDEX idx_ledger_transaction_team`);
    await queryRunner.query(`
      ALTER TABLE ledger_transaction
        DROP CONSTRAINT ledger_transaction_type_check,
        ADD CONSTRAINT ledger_transaction_type_check CHECK (type IN (${OLD_TYPES})),
        DROP CONSTRAINT chk_ledger_transaction_owner,
        DROP COLUMN team_id,
        ALTER COLUMN user_id SET NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE credit_account
        DROP CONSTRAINT chk_credit_account_owner,
        DROP COLUMN team_id,
        ADD CONSTRAINT chk_credit_account_owner CHECK ((user_id IS NULL) <> (code IS NULL))`);
  }
}
