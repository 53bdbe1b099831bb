import { MigrationInterface, QueryRunner } from 'typeorm';

const SUBSCRIPTION_STATUSES = `'incomplete','active','past_due','canceled','lapsed'`;

/**
 * Subscription plans: what admins sell monthly (price in cents, a credit allowance in milli-credits,
 * a monthly request cap, seats), the Stripe prices that bill each plan (old prices keep naming their
 * plan after a price change), and one row per Stripe subscription with its state as Stripe last
 * reported it. Free is the plan of anyone without a live subscription; it is never billed.
 */
export class SubscriptionPlans1796520000000 implements MigrationInterface {
  name = 'SubscriptionPlans1796520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE plan (
        id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        code               text        NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,49}$'),
        name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        price_cents        integer     NOT NULL CHECK (price_cents >= 0 AND price_cents <= 99999999),
        currency           text        NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        monthly_credits    bigint      NOT NULL CHECK (monthly_credits >= 0),
        requests_per_month integer     CHECK (requests_per_month > 0),
        seats              integer     NOT NULL CHECK (seats BETWEEN 1 AND 100000),
        stripe_price_id    text        CHECK (length(stripe_price_id) BETWEEN 1 AND 255),
        archived_at        timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_plan_code UNIQUE (code),
        -- A free plan is never sold through Stripe.
        CONSTRAINT chk_plan_free_unbilled CHECK (price_cents > 0 OR stripe_price_id IS NULL)
      )`);
    await queryRunner.query(`
      INSERT INTO plan (code, name, price_cents, currency, monthly_credits, requests_per_month, seats) VALUES
        ('free', 'Free', 0, 'usd', 0, 1000, 1),
        ('starter', 'Starter', 1900, 'usd', 250000, 10000, 1),
        ('pro', 'Pro', 4900, 'usd', 750000, 50000, 1),
        ('team', 'Team', 19900, 'usd', 3500000, 250000, 10)`);

    await queryRunner.query(`
      CREATE TABLE plan_stripe_price (
        stripe_price_id text        PRIMARY KEY CHECK (length(stripe_price_id) BETWEEN 1 AND 255),
        plan_id         uuid        NOT NULL REFERENCES plan (id),
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_plan_stripe_price_plan ON plan_stripe_price (plan_id)`);

    // last_event_at: the creation time of the newest Stripe event applied, so an older event
    // delivered late cannot roll the state back.
    await queryRunner.query(`
      CREATE TABLE plan_subscription (
        id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id                uuid        NOT NULL,
        plan_id                uuid        NOT NULL REFERENCES plan (id),
        status                 text        NOT NULL DEFAULT 'incomplete' CHECK (status IN (${SUBSCRIPTION_STATUSES})),
        stripe_session_id      text,
        stripe_subscription_id text,
        stripe_customer_id     text,
        current_period_start   timestamptz,
        current_period_end     timestamptz,
        cancel_at_period_end   boolean     NOT NULL DEFAULT false,
        past_due_since         timestamptz,
        ended_at               timestamptz,
        last_event_at          timestamptz,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_plan_subscription_session UNIQUE (stripe_session_id),
        CONSTRAINT uq_plan_subscription_stripe UNIQUE (stripe_subscription_id),
        CONSTRAINT chk_plan_subscription_past_due CHECK ((status = 'past_due') = (past_due_since IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_plan_subscription_user ON plan_subscription (user_id, created_at DESC)`);
    await queryRunner.query(
      `CREATE INDEX idx_plan_subscription_past_due ON plan_subscription (past_due_since) WHERE status = 'past_due'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE plan_subscription`);
    await queryRunner.query(`DROP TABLE plan_stripe_price`);
    await queryRunner.query(`DROP TABLE plan`);
  }
}
