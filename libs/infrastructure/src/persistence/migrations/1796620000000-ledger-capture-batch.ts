import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Captures that arrive together (AI calls settled after their answers) are written in one statement:
 * `ledger_capture_batch` takes them as a JSON array and answers `ledger_capture`'s result for each, in
 * order. It first locks every wallet the batch settles, in the accounts' id order, before any capture
 * runs: two batches settling the same wallets side by side, on one instance or two, then wait for each
 * other rather than deadlock (every ledger function locks a hold's account before any other row).
 */
export class LedgerCaptureBatch1796620000000 implements MigrationInterface {
  name = 'LedgerCaptureBatch1796620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ledger_capture_batch(p_captures jsonb, p_counter text, p_threshold bigint)
        RETURNS jsonb LANGUAGE plpgsql AS $$
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
  }
}
