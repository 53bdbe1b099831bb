import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A team wallet's holds that arrive together (members' AI calls side by side) are written in one
 * statement, as a user's are (LedgerBatches1796620000000): `ledger_team_hold_batch` takes them as a JSON
 * array and answers `ledger_team_hold`'s result for each, in order, every limit checked by that function
 * as before. It first locks every team account of the batch in id order, so batches side by side wait
 * for each other rather than deadlock. Holds with an idempotency key are still written alone.
 */
export class TeamHoldBatches1796640000000 implements MigrationInterface {
  name = 'TeamHoldBatches1796640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ledger_team_hold_batch(p_holds jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_hold jsonb;
        v_results jsonb[] := '{}';
      BEGIN
        PERFORM 1 FROM credit_account
          WHERE team_id IN (SELECT (h ->> 'team_id')::uuid FROM jsonb_array_elements(p_holds) h)
          ORDER BY id FOR UPDATE;
        FOR i IN 0 .. jsonb_array_length(p_holds) - 1 LOOP
          v_hold := p_holds -> i;
          v_results := array_append(v_results, ledger_team_hold((v_hold ->> 'team_id')::uuid, (v_hold ->> 'user_id')::uuid,
                                                               (v_hold ->> 'amount')::bigint, (v_hold ->> 'expires_at')::timestamptz,
                                                               v_hold ->> 'description', NULL, NULL, NULL, v_hold -> 'metadata',
                                                               (v_hold ->> 'day')::date, (v_hold ->> 'budget_key')::uuid,
                                                               (v_hold ->> 'budget_month')::date, (v_hold ->> 'budget')::bigint));
        END LOOP;
        RETURN to_jsonb(v_results);
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ledger_team_hold_batch(jsonb)`);
  }
}
