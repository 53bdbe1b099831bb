import { Credits, DomainError } from '@sah/domain';
import { DataSource } from 'typeorm';
import { Plan, PlanRow, toPlan } from './plan.rows';

export interface NewPlan {
  code: string;
  name: string;
  priceCents: number;
  currency: string;
  monthlyCredits: Credits;
  requestsPerMonth: number | null;
  seats: number;
  stripePriceId: string | null;
}

/** Undefined keeps a field; `requestsPerMonth: null` removes the cap. */
export type PlanChanges = Partial<Omit<NewPlan, 'code' | 'currency'>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The plans admins define, and which Stripe prices bill which plan. */
export class PlanRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Cheapest first. */
  async list(options: { includeArchived: boolean }): Promise<Plan[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM plan ${options.includeArchived ? '' : 'WHERE archived_at IS NULL'} ORDER BY price_cents, code`,
    )) as PlanRow[];
    return rows.map(toPlan);
  }

  /** By code (any case) or by id. */
  async find(reference: string): Promise<Plan | null> {
    const rows = (await this.dataSource.query(
      UUID.test(reference) ? `SELECT * FROM plan WHERE id = $1` : `SELECT * FROM plan WHERE code = lower($1)`,
      [reference],
    )) as PlanRow[];
    return rows[0] ? toPlan(rows[0]) : null;
  }

  async create(plan: NewPlan): Promise<Plan> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO plan (code, name, price_cents, currency, monthly_credits, requests_per_month, seats, stripe_price_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO NOTHING RETURNING *`,
        [
          plan.code,
          plan.name,
          plan.priceCents,
          plan.currency,
          plan.monthlyCredits.millis.toString(),
          plan.requestsPerMonth,
          plan.seats,
          plan.stripePriceId,
        ],
      )) as PlanRow[];
      const [row] = rows;
      if (!row) throw new DomainError('CONFLICT', `A plan with code "${plan.code}" exists already`, { field: 'code' });
      if (plan.stripePriceId) await this.mapPrice(manager.query.bind(manager), plan.stripePriceId, row.id);
      return toPlan(row);
    });
  }

  /**
   * Applies the changes; null when there is no such plan. A new price without a new Stripe price id
   * forgets the old id, so the next checkout bills the new amount.
   */
  async update(id: string, changes: PlanChanges): Promise<Plan | null> {
    if (!UUID.test(id)) return null;
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `UPDATE plan
            SET name = coalesce($2, name), price_cents = coalesce($3, price_cents),
                monthly_credits = coalesce($4, monthly_credits),
                requests_per_month = CASE WHEN $5 THEN $6 ELSE requests_per_month END,
                seats = coalesce($7, seats),
                stripe_price_id = CASE WHEN $8 THEN $9
                                       WHEN $3::int IS NOT NULL AND $3::int <> price_cents THEN NULL
                                       ELSE stripe_price_id END,
                updated_at = now()
          WHERE id = $1 RETURNING *`,
        [
          id,
          changes.name ?? null,
          changes.priceCents ?? null,
          changes.monthlyCredits?.millis.toString() ?? null,
          changes.requestsPerMonth !== undefined,
          changes.requestsPerMonth ?? null,
          changes.seats ?? null,
          changes.stripePriceId !== undefined,
          changes.stripePriceId ?? null,
        ],
      )) as [PlanRow[], number];
      const row = rows[0][0];
      if (!row) return null;
      if (row.stripe_price_id) await this.mapPrice(manager.query.bind(manager), row.stripe_price_id, row.id);
      return toPlan(row);
    });
  }

  /** Null when there is no such plan; `changed` false when it was archived already. */
  async archive(id: string): Promise<{ plan: Plan; changed: boolean } | null> {
    if (!UUID.test(id)) return null;
    const [rows] = (await this.dataSource.query(
      `UPDATE plan SET archived_at = now(), updated_at = now() WHERE id = $1 AND archived_at IS NULL RETURNING *`,
      [id],
    )) as [PlanRow[], number];
    if (rows[0]) return { plan: toPlan(rows[0]), changed: true };
    const plan = await this.find(id);
    return plan ? { plan, changed: false } : null;
  }

  /** Records the Stripe price created for the plan's current amount, unless another was set meanwhile; the plan as it now stands. */
  async attachStripePrice(planId: string, priceCents: number, stripePriceId: string): Promise<Plan | null> {
    return this.dataSource.transaction(async (manager) => {
      await this.mapPrice(manager.query.bind(manager), stripePriceId, planId);
      await manager.query(
        `UPDATE plan SET stripe_price_id = $3, updated_at = now()
          WHERE id = $1 AND price_cents = $2 AND stripe_price_id IS NULL`,
        [planId, priceCents, stripePriceId],
      );
      const rows = (await manager.query(`SELECT * FROM plan WHERE id = $1`, [planId])) as PlanRow[];
      return rows[0] ? toPlan(rows[0]) : null;
    });
  }

  /** The plan a Stripe price bills, including prices the plan has since replaced. */
  async findByStripePrice(stripePriceId: string): Promise<Plan | null> {
    const rows = (await this.dataSource.query(
      `SELECT p.* FROM plan_stripe_price sp JOIN plan p ON p.id = sp.plan_id WHERE sp.stripe_price_id = $1`,
      [stripePriceId],
    )) as PlanRow[];
    return rows[0] ? toPlan(rows[0]) : null;
  }

  private async mapPrice(
    query: (sql: string, parameters: unknown[]) => Promise<unknown>,
    stripePriceId: string,
    planId: string,
  ): Promise<void> {
    const rows = (await query(
      `INSERT INTO plan_stripe_price (stripe_price_id, plan_id) VALUES ($1, $2)
       ON CONFLICT (stripe_price_id) DO UPDATE SET plan_id = plan_stripe_price.plan_id
       RETURNING plan_id`,
      [stripePriceId, planId],
    )) as Array<{ plan_id: string }>;
    if (rows[0]?.plan_id !== planId) {
      throw new DomainError('CONFLICT', 'That Stripe price already bills another plan', { field: 'stripePriceId' });
    }
  }
}
