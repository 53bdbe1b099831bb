import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Budget threshold alerts, for any kind of spending budget (an API key's month today; team wallets and
 * members' budgets plug in with their own `budget_kind`). One row per budget, period and threshold:
 * the unique key is what makes an alert go out once. A row is raised again in its period only when the
 * budget was raised above what it was then and spend crosses the threshold anew (`times_raised`).
 *
 * An API key's captured spend is announced to the outbox, in the capture's transaction, by a trigger
 * on `api_key_monthly_spend` (which the ledger keeps in step with the key's holds): the check runs
 * afterwards in the relay, off the request's path, and a crash between capture and check loses nothing.
 * The event carries the key's budget as it is at capture; a key without one (removed since) is skipped.
 */
export class BudgetAlerts1796530000010 implements MigrationInterface {
  name = 'BudgetAlerts1796530000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE budget_alert (
        id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        budget_kind       text        NOT NULL CONSTRAINT chk_budget_alert_kind CHECK (budget_kind ~ '^[a-z][a-z_]{0,39}$'),
        subject_id        uuid        NOT NULL,
        period            text        NOT NULL CONSTRAINT chk_budget_alert_period CHECK (length(period) BETWEEN 1 AND 40),
        threshold_percent smallint    NOT NULL CONSTRAINT chk_budget_alert_threshold CHECK (threshold_percent BETWEEN 1 AND 100),
        budget            bigint      NOT NULL CONSTRAINT chk_budget_alert_budget CHECK (budget > 0),
        spent             bigint      NOT NULL CONSTRAINT chk_budget_alert_spent CHECK (spent >= 0),
        raised_at         timestamptz NOT NULL DEFAULT now(),
        times_raised      integer     NOT NULL DEFAULT 1 CONSTRAINT chk_budget_alert_times CHECK (times_raised >= 1),
        CONSTRAINT uq_budget_alert UNIQUE (budget_kind, subject_id, period, threshold_percent)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION api_key_monthly_spend_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_key identity_api_key;
      BEGIN
        SELECT * INTO v_key FROM identity_api_key WHERE id = NEW.api_key_id;
        IF FOUND AND v_key.monthly_credit_budget IS NOT NULL THEN
          INSERT INTO outbox_event (type, payload, occurred_at)
          VALUES ('budget.api_key_spent',
                  jsonb_build_object('apiKeyId', NEW.api_key_id, 'userId', v_key.user_id, 'month', to_char(NEW.month, 'YYYY-MM'),
                                     'name', v_key.name, 'prefix', v_key.prefix, 'spentBefore', OLD.spent::text, 'spent', NEW.spent::text,
                                     'budget', v_key.monthly_credit_budget::text),
                  now());
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_api_key_monthly_spend_outbox AFTER UPDATE OF spent ON api_key_monthly_spend
        FOR EACH ROW WHEN (NEW.spent > OLD.spent) EXECUTE FUNCTION api_key_monthly_spend_outbox()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_api_key_monthly_spend_outbox ON api_key_monthly_spend`);
    await queryRunner.query(`DROP FUNCTION api_key_monthly_spend_outbox()`);
    await queryRunner.query(`DROP TABLE budget_alert`);
  }
}
