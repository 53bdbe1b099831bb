import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's write operations as PL/pgSQL functions. Each runs in one round trip: the account
 * row is locked, checked, updated and its entries written inside the database, so the lock is held
 * for microseconds instead of across several network round trips. That is what lets one busy
 * account (a partner deducting for one user, concurrent AI streams) sustain a useful rate.
 *
 * Results are jsonb with bigint amounts as text (exact beyond 2^53). Expected refusals are returned
 * as a `status`, not raised, so nothing has been written when they come back.
 */
export class LedgerFunctions1764000300000 implements MigrationInterface {
  name = 'LedgerFunctions1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ledger_account_json(a credit_account) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT jsonb_build_object('user_id', a.user_id, 'balance', a.balance::text, 'reserved', a.reserved::text)
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_transaction_json(t ledger_transaction) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT jsonb_build_object('id', t.id, 'type', t.type, 'user_id', t.user_id, 'amount', t.amount::text,
                                  'balance_after', t.balance_after::text, 'reason', t.reason, 'actor_id', t.actor_id,
                                  'reverses_id', t.reverses_id, 'metadata', t.metadata,
                                  'created_at', t.created_at)
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_hold_json(h credit_hold) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT jsonb_build_object('id', h.id, 'user_id', h.user_id, 'amount', h.amount::text,
                                  'captured', h.captured::text, 'status', h.status, 'description', h.description,
                                  'capture_transaction_id', h.capture_transaction_id,
                                  'metadata', h.metadata, 'created_at', h.created_at, 'expires_at', h.expires_at,
                                  'settled_at', h.settled_at)
      $$`);

    // Alerts: entering 'low' records credit.low, entering 'depleted' records credit.depleted; going
    // back up records nothing and re-arms them. One event per crossing, whatever the number of debits.
    await queryRunner.query(`
      CREATE FUNCTION ledger_save_account(p_account credit_account, p_balance bigint, p_reserved bigint,
                                          p_expiring bigint, p_threshold bigint)
      RETURNS credit_account LANGUAGE plpgsql AS $$
      DECLARE
        levels constant text[] := ARRAY['ok', 'low', 'depleted'];
        v_available bigint := p_balance - p_reserved;
        v_level text := CASE WHEN v_available <= 0 THEN 'depleted' WHEN v_available < p_threshold THEN 'low' ELSE 'ok' END;
        v_before int := array_position(levels, p_account.alert_level);
        v_after int := array_position(levels, v_level);
        v_payload jsonb;
        v_saved credit_account;
      BEGIN
        UPDATE credit_account
           SET balance = p_balance, reserved = p_reserved, expiring = p_expiring, alert_level = v_level, updated_at = now()
         WHERE id = p_account.id
        RETURNING * INTO v_saved;
        IF v_after > v_before THEN
          v_payload := jsonb_build_object('userId', p_account.user_id, 'from', p_account.alert_level, 'to', v_level,
                                          'available', round(v_available::numeric / 1000, 3),
                                          'threshold', round(p_threshold::numeric / 1000, 3));
          -- Leaving 'ok' is the low crossing (even straight to empty); from 'low' only the depletion is news.
          IF p_account.alert_level = 'ok' THEN
            INSERT INTO outbox_event (type, payload, occurred_at) VALUES ('credit.low', v_payload, now());
          END IF;
          IF v_level = 'depleted' THEN
            INSERT INTO outbox_event (type, payload, occurred_at) VALUES ('credit.depleted', v_payload, now());
          END IF;
        END IF;
        RETURN v_saved;
      END $$`);

    // Posts one transaction against the user's account (locking it; re-locking in the same
    // transaction is harmless). Spending uses the soonest-expiring credits first; 'expiry' itself
    // does not (its caller has emptied the lapsed lots). p_reserved_delta lets a capture free its
    // hold in the same step.
    await queryRunner.query(`
      CREATE FUNCTION ledger_post(p_user_id uuid, p_type text, p_amount bigint, p_reason text, p_actor_id uuid,
                                  p_scope text, p_key text, p_hash text, p_reverses_id uuid, p_metadata jsonb,
                                  p_expires_at timestamptz, p_counter text, p_threshold bigint,
                                  p_reserved_delta bigint DEFAULT 0)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_account credit_account;
        v_tx ledger_transaction;
        v_counter uuid;
        v_balance bigint;
        v_reserved bigint;
        v_expiring bigint;
      BEGIN
        SELECT * INTO v_account FROM credit_account WHERE user_id = p_user_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found');
        END IF;
        IF p_key IS NOT NULL THEN
          SELECT * INTO v_tx FROM ledger_transaction WHERE idempotency_scope = p_scope AND idempotency_key = p_key;
          IF FOUND THEN
            IF v_tx.request_hash IS DISTINCT FROM p_hash OR v_tx.user_id <> p_user_id THEN
              RETURN jsonb_build_object('status', 'reused');
            END IF;
            RETURN jsonb_build_object('status', 'replayed', 'transaction', ledger_transaction_json(v_tx),
                                      'account', ledger_account_json(v_account));
          END IF;
        END IF;

        v_reserved := v_account.reserved + p_reserved_delta;
        v_balance := v_account.balance + p_amount;
        IF p_amount < 0 AND v_balance < v_reserved THEN
          RETURN jsonb_build_object('status', 'insufficient', 'available', (v_account.balance - v_reserved)::text);
        END IF;
        v_expiring := v_account.expiring;
        IF p_expires_at IS NOT NULL AND p_amount > 0 THEN
          v_expiring := v_expiring + p_amount;
        END IF;
        IF p_amount < 0 AND v_expiring > 0 AND p_type <> 'expiry' THEN
          UPDATE credit_lot l SET remaining = l.remaining - LEAST(l.remaining, -p_amount - o.before)
            FROM (SELECT id, sum(remaining) OVER (ORDER BY expires_at, id) - remaining AS before
                    FROM credit_lot WHERE account_id = v_account.id AND remaining > 0) o
           WHERE l.id = o.id AND o.before < -p_amount;
          v_expiring := GREATEST(v_expiring + p_amount, 0);
        END IF;
        v_account := ledger_save_account(v_account, v_balance, v_reserved, v_expiring, p_threshold);

        SELECT id INTO v_counter FROM credit_account WHERE code = p_counter;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'system account % is missing', p_counter;
        END IF;
        INSERT INTO ledger_transaction (type, user_id, amount, balance_after, reason, actor_id, idempotency_scope,
                                        idempotency_key, request_hash, reverses_id, metadata)
        VALUES (p_type, p_user_id, p_amount, v_balance, p_reason, p_actor_id, p_scope, p_key, p_hash, p_reverses_id,
                coalesce(p_metadata, '{}'))
        RETURNING * INTO v_tx;
        INSERT INTO ledger_entry (transaction_id, account_id, amount)
        VALUES (v_tx.id, v_account.id, p_amount), (v_tx.id, v_counter, -p_amount);
        IF p_expires_at IS NOT NULL AND p_amount > 0 THEN
          INSERT INTO credit_lot (account_id, transaction_id, amount, remaining, expires_at)
          VALUES (v_account.id, v_tx.id, p_amount, p_amount, p_expires_at);
        END IF;
        RETURN jsonb_build_object('status', 'posted', 'transaction', ledger_transaction_json(v_tx),
                                  'account', ledger_account_json(v_account));
      END $$`);

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

    // Settles a hold at its final cost (at most what was held): the cost is posted as usage and the
    // rest of the reservation is freed, in the same step.
    await queryRunner.query(`
      CREATE FUNCTION ledger_capture(p_hold_id uuid, p_amount bigint, p_reason text, p_metadata jsonb, p_counter text,
                                     p_threshold bigint)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_user uuid;
        v_account credit_account;
        v_hold credit_hold;
        v_posted jsonb;
        v_account_json jsonb;
      BEGIN
        SELECT user_id INTO v_user FROM credit_hold WHERE id = p_hold_id;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found');
        END IF;
        SELECT * INTO v_account FROM credit_account WHERE user_id = v_user FOR UPDATE;
        SELECT * INTO v_hold FROM credit_hold WHERE id = p_hold_id;
        IF v_hold.status <> 'active' THEN
          IF v_hold.status = 'captured' AND v_hold.captured = p_amount THEN
            RETURN jsonb_build_object('status', 'replayed', 'hold', ledger_hold_json(v_hold), 'account', ledger_account_json(v_account));
          END IF;
          RETURN jsonb_build_object('status', 'settled', 'hold_status', v_hold.status);
        END IF;
        IF p_amount < 0 OR p_amount > v_hold.amount THEN
          RETURN jsonb_build_object('status', 'out_of_range', 'held', v_hold.amount::text);
        END IF;
        IF p_amount > 0 THEN
          v_posted := ledger_post(v_user, 'usage', -p_amount, coalesce(p_reason, v_hold.description), NULL, NULL, NULL, NULL,
                                  NULL, v_hold.metadata || coalesce(p_metadata, '{}') || jsonb_build_object('holdId', p_hold_id),
                                  NULL, p_counter, p_threshold, -v_hold.amount);
          v_account_json := v_posted -> 'account';
        ELSE
          v_account := ledger_save_account(v_account, v_account.balance, v_account.reserved - v_hold.amount,
                                           v_account.expiring, p_threshold);
          v_account_json := ledger_account_json(v_account);
        END IF;
        UPDATE credit_hold
           SET status = 'captured', captured = p_amount, settled_at = now(),
               capture_transaction_id = (v_posted -> 'transaction' ->> 'id')::uuid
         WHERE id = p_hold_id
        RETURNING * INTO v_hold;
        RETURN jsonb_build_object('status', 'captured', 'hold', ledger_hold_json(v_hold), 'account', v_account_json);
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION ledger_release(p_hold_id uuid, p_status text, p_threshold bigint)
      RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_user uuid;
        v_account credit_account;
        v_hold credit_hold;
      BEGIN
        SELECT user_id INTO v_user FROM credit_hold WHERE id = p_hold_id;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('status', 'not_found');
        END IF;
        SELECT * INTO v_account FROM credit_account WHERE user_id = v_user FOR UPDATE;
        SELECT * INTO v_hold FROM credit_hold WHERE id = p_hold_id;
        IF v_hold.status IN ('released', 'expired') THEN
          RETURN jsonb_build_object('status', 'replayed', 'hold', ledger_hold_json(v_hold), 'account', ledger_account_json(v_account));
        END IF;
        IF v_hold.status = 'captured' THEN
          RETURN jsonb_build_object('status', 'settled', 'hold_status', v_hold.status);
        END IF;
        v_account := ledger_save_account(v_account, v_account.balance, v_account.reserved - v_hold.amount, v_account.expiring, p_threshold);
        UPDATE credit_hold SET status = p_status, settled_at = now() WHERE id = p_hold_id RETURNING * INTO v_hold;
        RETURN jsonb_build_object('status', 'released', 'hold', ledger_hold_json(v_hold), 'account', ledger_account_json(v_account));
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ledger_release`);
    await queryRunner.query(`DROP FUNCTION ledger_capture`);
    await queryRunner.query(`DROP FUNCTION ledger_hold`);
    await queryRunner.query(`DROP FUNCTION ledger_post`);
    await queryRunner.query(`DROP FUNCTION ledger_save_account`);
    await queryRunner.query(`DROP FUNCTION ledger_hold_json`);
    await queryRunner.query(`DROP FUNCTION ledger_transaction_json`);
    await queryRunner.query(`DROP FUNCTION ledger_account_json`);
  }
}
