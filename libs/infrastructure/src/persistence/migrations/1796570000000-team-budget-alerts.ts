import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Budget threshold alerts for team wallets, measured against the team's monthly cap (the month's
 * captured spend / the cap). Alerts are recorded in `budget_alert` (BudgetAlerts1796530000010) with
 * budget_kind `team_month`: its unique key (kind, team, month, threshold) is what makes an alert go out
 * once, whichever instance and relay handle the spend.
 *
 * - `team_spending_limit.alert_thresholds`: the team's own percentages (NULL: the default,
 *   BUDGET_ALERT_THRESHOLDS; empty: no alerts).
 * - A trigger on the team's month row of `team_spend` writes `team.budget_spent` to the outbox each
 *   time captured spend grows (a capture, or usage charged after its hold was released), in the
 *   capture's transaction: a crash right after the capture loses no alert. The event carries the cap
 *   and thresholds as they are at capture; a team without a cap is not watched.
 */
export class TeamBudgetAlerts1796570000000 implements MigrationInterface {
  name = 'TeamBudgetAlerts1796570000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE team_spending_limit
        ADD COLUMN alert_thresholds smallint[],
        ADD CONSTRAINT chk_team_spending_limit_thresholds CHECK (
          alert_thresholds IS NULL
          OR (cardinality(alert_thresholds) <= 10 AND array_position(alert_thresholds, NULL) IS NULL
              AND 1 <= ALL (alert_thresholds) AND 100 >= ALL (alert_thresholds)))`);
    await queryRunner.query(`
      CREATE FUNCTION team_spend_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_before bigint := CASE WHEN TG_OP = 'UPDATE' THEN OLD.spent ELSE 0 END;
        v_limit team_spending_limit;
      BEGIN
        IF NEW.spent <= v_before THEN
          RETURN NULL;
        END IF;
        SELECT * INTO v_limit FROM team_spending_limit WHERE team_id = NEW.team_id;
        IF FOUND AND v_limit.monthly_cap IS NOT NULL THEN
          INSERT INTO outbox_event (type, payload, occurred_at)
          VALUES ('team.budget_spent',
                  jsonb_build_object('teamId', NEW.team_id, 'month', to_char(NEW.starts, 'YYYY-MM'), 'spentBefore', v_before::text,
                                     'spent', NEW.spent::text, 'cap', v_limit.monthly_cap::text,
                                     'thresholds', to_jsonb(v_limit.alert_thresholds)),
                  now());
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_team_spend_outbox AFTER INSERT OR UPDATE OF spent ON team_spend
        FOR EACH ROW WHEN (NEW.user_id IS NULL AND NEW.period = 'month') EXECUTE FUNCTION team_spend_outbox()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_team_spend_outbox ON team_spend`);
    await queryRunner.query(`DROP FUNCTION team_spend_outbox()`);
    await queryRunner.query(`DELETE FROM budget_alert WHERE budget_kind = 'team_month'`);
    await queryRunner.query(`
      ALTER TABLE team_spending_limit DROP CONSTRAINT chk_team_spending_limit_thresholds, DROP COLUMN alert_thresholds`);
  }
}
