import { Credits } from '@sah/domain';
import { DataSource } from 'typeorm';
import { PlanSubscription, PlanSubscriptionRow, SubscriptionStatus, toPlanSubscription } from './plan.rows';

export interface StripeSubscriptionState {
  status: SubscriptionStatus;
  planId: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  endedAt: Date | null;
  /** When Stripe created the event that reported this state. */
  eventAt: Date;
}

/** A user's plan's monthly request cap (null: none) and the subscription's paid period, if any. */
export interface PlanRequestCapRow {
  requestsPerMonth: number | null;
  periodStart: Date | null;
  periodEnd: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An event older than the newest one applied says nothing new. */
const IN_ORDER = `(last_event_at IS NULL OR last_event_at <= $2)`;

/**
 * One row per Stripe subscription (opened when its checkout is). Every change is one conditional
 * update, so redeliveries and events arriving out of order cannot roll a subscription back.
 */
export class PlanSubscriptionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async createIncomplete(userId: string, planId: string): Promise<PlanSubscription> {
    const rows = (await this.dataSource.query(
      `INSERT INTO plan_subscription (user_id, plan_id) VALUES ($1, $2) RETURNING *`,
      [userId, planId],
    )) as PlanSubscriptionRow[];
    return toPlanSubscription(rows[0] as PlanSubscriptionRow);
  }

  async attachSession(id: string, sessionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE plan_subscription SET stripe_session_id = $2, updated_at = now() WHERE id = $1`,
      [id, sessionId],
    );
  }

  /** Stripe never opened the checkout: nothing will follow. */
  async abandon(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE plan_subscription SET status = 'canceled', ended_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'incomplete'`,
      [id],
    );
  }

  /** The checkout expired unpaid: its subscription never started. */
  async abandonSession(sessionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE plan_subscription SET status = 'canceled', ended_at = now(), updated_at = now()
        WHERE stripe_session_id = $1 AND status = 'incomplete' AND stripe_subscription_id IS NULL`,
      [sessionId],
    );
  }

  async findById(id: string): Promise<PlanSubscription | null> {
    if (!UUID.test(id)) return null;
    return this.one(`SELECT * FROM plan_subscription WHERE id = $1`, [id]);
  }

  /** The subscription whose plan applies to the user now: the newest live one. */
  current(userId: string): Promise<PlanSubscription | null> {
    return this.one(
      `SELECT * FROM plan_subscription WHERE user_id = $1 AND status IN ('active', 'past_due')
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [userId],
    );
  }

  /** The most seats a live subscription of these users' grants, counting only plans of more than one seat; null if none does. */
  async largestTeamSeats(userIds: readonly string[]): Promise<number | null> {
    if (userIds.length === 0) return null;
    const rows = (await this.dataSource.query(
      `SELECT max(p.seats)::int AS seats FROM plan_subscription s JOIN plan p ON p.id = s.plan_id
        WHERE s.user_id = ANY($1::uuid[]) AND s.status IN ('active', 'past_due') AND p.seats > 1`,
      [userIds],
    )) as Array<{ seats: number | null }>;
    return rows[0]?.seats ?? null;
  }

  /**
   * The request cap that applies to the user now, in one round trip: the plan of the newest live
   * subscription (with its paid period), else the plan whose code is `freeCode`.
   */
  async requestCapOf(userId: string, freeCode: string): Promise<PlanRequestCapRow | null> {
    const rows = (await this.dataSource.query(
      `WITH live AS (SELECT plan_id, current_period_start, current_period_end FROM plan_subscription
                      WHERE user_id = $1 AND status IN ('active', 'past_due')
                      ORDER BY created_at DESC, id DESC LIMIT 1)
       SELECT p.requests_per_month, live.current_period_start, live.current_period_end
         FROM plan p LEFT JOIN live ON live.plan_id = p.id
        WHERE p.id = coalesce((SELECT plan_id FROM live), (SELECT id FROM plan WHERE code = $2))`,
      [userId, freeCode],
    )) as Array<{ requests_per_month: number | null; current_period_start: Date | null; current_period_end: Date | null }>;
    const row = rows[0];
    return row
      ? { requestsPerMonth: row.requests_per_month, periodStart: row.current_period_start, periodEnd: row.current_period_end }
      : null;
  }

  /**
   * Our row of a Stripe subscription: by its Stripe id, or (for the first events, which may come
   * before the checkout's) by the row id the checkout put in the subscription's metadata, which then
   * links the two.
   */
  async findForStripe(stripeSubscriptionId: string, rowId: string | undefined, customerId: string | null): Promise<PlanSubscription | null> {
    const known = await this.one(`SELECT * FROM plan_subscription WHERE stripe_subscription_id = $1`, [stripeSubscriptionId]);
    if (known || !rowId || !UUID.test(rowId)) return known;
    return this.one(
      `UPDATE plan_subscription
          SET stripe_subscription_id = $2, stripe_customer_id = coalesce(stripe_customer_id, $3), updated_at = now()
        WHERE id = $1 AND (stripe_subscription_id IS NULL OR stripe_subscription_id = $2) RETURNING *`,
      [rowId, stripeSubscriptionId, customerId],
    );
  }

  /** A paid invoice: the subscription is in good standing for the period paid for (a proration's invoice names none). */
  async markPaid(id: string, eventAt: Date, period: { planId: string | null; start: Date | null; end: Date | null }): Promise<PlanSubscription | null> {
    return this.one(
      `UPDATE plan_subscription
          SET status = 'active', past_due_since = NULL, ended_at = NULL, plan_id = coalesce($3, plan_id),
              current_period_start = coalesce($4, current_period_start), current_period_end = coalesce($5, current_period_end),
              last_event_at = $2, updated_at = now()
        WHERE id = $1 AND ${IN_ORDER} RETURNING *`,
      [id, eventAt, period.planId, period.start, period.end],
    );
  }

  /** A failed invoice: the grace period starts (once; later failures keep its start). */
  async markPastDue(id: string, eventAt: Date): Promise<PlanSubscription | null> {
    return this.one(
      `UPDATE plan_subscription
          SET status = 'past_due', past_due_since = coalesce(past_due_since, $2), last_event_at = $2, updated_at = now()
        WHERE id = $1 AND status IN ('incomplete', 'active', 'past_due') AND ${IN_ORDER} RETURNING *`,
      [id, eventAt],
    );
  }

  /**
   * What `customer.subscription.updated` / `.deleted` report. A subscription that ended here
   * (lapsed after its grace period, or canceled) comes back only when Stripe says it is active.
   */
  async applyStripeState(id: string, state: StripeSubscriptionState): Promise<PlanSubscription | null> {
    return this.one(
      `UPDATE plan_subscription
          SET status = $3,
              past_due_since = CASE WHEN $3 = 'past_due' THEN coalesce(past_due_since, $2) END,
              plan_id = coalesce($4, plan_id),
              current_period_start = coalesce($5, current_period_start),
              current_period_end = coalesce($6, current_period_end),
              cancel_at_period_end = $7,
              ended_at = CASE WHEN $3 IN ('canceled', 'lapsed') THEN coalesce(ended_at, $8, $2) END,
              last_event_at = $2, updated_at = now()
        WHERE id = $1 AND ${IN_ORDER} AND (status NOT IN ('canceled', 'lapsed') OR $3 = 'active') RETURNING *`,
      [
        id,
        state.eventAt,
        state.status,
        state.planId,
        state.currentPeriodStart,
        state.currentPeriodEnd,
        state.cancelAtPeriodEnd,
        state.endedAt,
      ],
    );
  }

  /** The user asked Stripe to end the subscription when its period ends. */
  async noteCancelAtPeriodEnd(id: string): Promise<PlanSubscription | null> {
    return this.one(
      `UPDATE plan_subscription SET cancel_at_period_end = true, updated_at = now() WHERE id = $1 RETURNING *`,
      [id],
    );
  }

  /** Past-due subscriptions whose grace period ended by `cutoff` turn lapsed (their users back on Free), in batches. */
  async lapseOverdue(cutoff: Date, batchSize: number): Promise<PlanSubscription[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE plan_subscription
          SET status = 'lapsed', past_due_since = NULL, ended_at = now(), updated_at = now()
        WHERE id IN (SELECT id FROM plan_subscription WHERE status = 'past_due' AND past_due_since <= $1
                      ORDER BY past_due_since LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [cutoff, batchSize],
    )) as [PlanSubscriptionRow[], number];
    return rows.map(toPlanSubscription);
  }

  /**
   * The plan allowances (grants under `scope`) still running at `now`: what was granted and what is
   * left unspent (spending uses the soonest-expiring credits first).
   */
  async allowance(userId: string, scope: string, now: Date): Promise<{ granted: Credits; remaining: Credits }> {
    const rows = (await this.dataSource.query(
      `SELECT coalesce(sum(l.amount), 0)::text AS granted, coalesce(sum(l.remaining), 0)::text AS remaining
         FROM ledger_transaction t JOIN credit_lot l ON l.transaction_id = t.id
        WHERE t.user_id = $1 AND t.idempotency_scope = $2 AND l.expires_at > $3`,
      [userId, scope, now],
    )) as Array<{ granted: string; remaining: string }>;
    return { granted: Credits.fromMillis(rows[0]?.granted ?? 0), remaining: Credits.fromMillis(rows[0]?.remaining ?? 0) };
  }

  private async one(sql: string, parameters: unknown[]): Promise<PlanSubscription | null> {
    const result = (await this.dataSource.query(sql, parameters)) as PlanSubscriptionRow[] | [PlanSubscriptionRow[], number];
    const rows = sql.trimStart().startsWith('SELECT') ? (result as PlanSubscriptionRow[]) : (result as [PlanSubscriptionRow[], number])[0];
    return rows[0] ? toPlanSubscription(rows[0]) : null;
  }
}
