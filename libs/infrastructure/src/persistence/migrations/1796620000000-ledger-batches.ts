import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Holds and captures that arrive together (AI calls side by side) are written in one statement each:
 * `ledger_hold_batch` and `ledger_capture_batch` take them as a JSON array and answer `ledger_hold`'s or
 * `ledger_capture`'s result for each, in order. Each first locks every account the batch touches, in
 * the accounts' id order, before any item runs: batches running side by side, on one instance or two,
 * then wait for each other rather than deadlock (every ledger function locks its account before any
 * other row).
 */
export class LedgerBatches1796620000000 implements MigrationInterface {
  name = 'LedgerBatches1796620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ledger_hold_batch(p_holds jsonb, p_threshold bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_hold jsonb;
        v_results jsonb[] := '{}';
      BEGIN
        PERFORM 1 FROM credit_account
          WHERE user_id IN (SELECT (h ->> 'user_id')::uuid FROM jsonb_array_elements(p_holds) h)
          ORDER BY id FOR UPDATE;
        FOR i IN 0 .. jsonb_array_length(p_holds) - 1 LOOP
          v_hold := p_holds -> i;
          v_results := array_append(v_results, ledger_hold((v_hold ->> 'user_id')::uuid, (v_hold ->> 'amount')::bigint,
                                                          (v_hold ->> 'expires_at')::timestamptz, v_hold ->> 'description',
                                                          NULL, NULL, NULL, v_hold -> 'metadata', p_threshold,
                                                          (v_hold ->> 'budget_key')::uuid, (v_hold ->> 'budget_month')::date,
                                                          (v_hold ->> 'budget')::bigint));
        END LOOP;
        RETURN to_jsonb(v_results);
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_capture_batch(p_captures jsonb, p_counter text, p_threshold bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_capture jsonb;
        v_results jsonb[] := '{}';
      BEGIN
        PERFORM 1 FROM credit_account
          WHERE id IN (SELECT h.account_id FROM credit_hold h
                        WHERE h.id IN (SELECT (c ->> 'hold_id')::uuid FROM jsonb_array_elements(p_captures) c))
          ORDER BY id FOR UPDATE;
        FOR i IN 0 .. jsonb_array_length(p_captures) - 1 LOOP
          v_capture := p_captures -> i;
          v_results := array_append(v_results, ledger_capture((v_capture ->> 'hold_id')::uuid, (v_capture ->> 'amount')::bigint,
                                                                v_capture ->> 'reason', v_capture -> 'metadata', p_counter, p_threshold));
        END LOOP;
        RETURN to_jsonb(v_results);
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ledger_capture_batch(jsonb, text, bigint)`);
    await queryRunner.query(`DROP FUNCTION ledger_hold_batch(jsonb, bigint)`);
  }
}
