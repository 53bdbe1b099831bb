import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The budget triggers wrote an outbox event on every capture that grew a key's or a capped team's
 * month spend (BudgetAlerts1796530000010, TeamBudgetAlerts1796570000000): two rows, their JSON and
 * their relay work per AI call, though almost none can reach an alert. Thresholds are whole
 * percentages of the budget (1 to 100), and spend reaches p % when `spent * 100 / budget >= p`, so a
 * capture whose spend crosses no whole percent can cross no threshold: the event is written only when
 * it does. What is left out: a threshold already passed when a budget is lowered or a team's
 * thresholds change is raised at the next whole percent of spend, not at the next capture.
 */
export class BudgetEventsOnWholePercent1796610000000 implements MigrationInterface {
  name = 'BudgetEventsOnWholePercent1796610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(apiKeySpendOutbox(`FOUND AND v_key.monthly_credit_budget > 0
               AND NEW.spent * 100 / v_key.monthly_credit_budget > OLD.spent * 100 / v_key.monthly_credit_budget`));
    await queryRunner.query(teamSpendOutbox(`FOUND AND v_limit.monthly_cap > 0
               AND NEW.spent * 100 / v_limit.monthly_cap > v_before * 100 / v_limit.monthly_cap`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(apiKeySpendOutbox('FOUND AND v_key.monthly_credit_budget IS NOT NULL'));
    await queryRunner.query(teamSpendOutbox('FOUND AND v_limit.monthly_cap IS NOT NULL'));
  }
}

/** The key budget's trigger function, writing `budget.api_key_spent` when `due` holds. */
const apiKeySpendOutbox = (due: string) => `
      CREATE OR REPLACE FUNCTION api_key_monthly_spend_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_key identity_api_key;
      BEGIN
        SELECT * INTO v_key FROM identity_api_key WHERE id = NEW.api_key_id;
        IF ${due} THEN
          INSERT INTO outbox_event (type, payload, occurred_at)
          VALUES ('budget.api_key_spent',
                  jsonb_build_object('apiKeyId', NEW.api_key_id, 'userId', v_key.user_id, 'month', to_char(NEW.month, 'YYYY-MM'),
                                     'name', v_key.name, 'prefix', v_key.prefix, 'spentBefore', OLD.spent::text, 'spent', NEW.spent::text,
                                     'budget', v_key.monthly_credit_budget::text),
                  now());
        END IF;
        RETURN NULL;
      END $$`;

/** The team cap's trigger function, writing `team.budget_spent` when `due` holds. */
const teamSpendOutbox = (due: string) => `
      CREATE OR REPLACE FUNCTION team_spend_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_before bigint := CASE WHEN TG_OP = 'UPDATE' THEN OLD.spent ELSE 0 END;
        v_limit team_spending_limit;
      BEGIN
        IF NEW.spent <= v_before THEN
          RETURN NULL;
        END IF;
        SELECT * INTO v_limit FROM team_spending_limit WHERE team_id = NEW.team_id;
        IF ${due} THEN
          INSERT INTO outbox_event (type, payload, occurred_at)
          VALUES ('team.budget_spent',
                  jsonb_build_object('teamId', NEW.team_id, 'month', to_char(NEW.starts, 'YYYY-MM'), 'spentBefore', v_before::text,
                                     'spent', NEW.spent::text, 'cap', v_limit.monthly_cap::text,
                                     'thresholds', to_jsonb(v_limit.alert_thresholds)),
                  now());
        END IF;
        RETURN NULL;
      END $$`;
