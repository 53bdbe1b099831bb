import { Injectable } from '@nestjs/common';
import { can, Credits, DomainError } from '@sah/domain';
import { NewPlan, Plan, PlanChanges, PlanRepository } from '@sah/infrastructure';
import type { Principal } from '../../../../platform/auth/principal';
import { AuditLog } from '../../../identity/application/audit-log.service';
import { FREE_PLAN_CODE } from './free-plan';
import { PlanRequestCap } from './plan-request-cap';

/** Stripe's largest amount in two-decimal currencies, and its smallest USD charge. */
const MAX_PRICE_CENTS = 99_999_999;
const MIN_PAID_PRICE_CENTS = 50;
const CODE = /^[a-z0-9][a-z0-9-]{0,49}$/;
const STRIPE_PRICE_ID = /^price_[A-Za-z0-9_]{1,248}$/;

export interface PlanFields {
  name?: string;
  priceCents?: number;
  monthlyCredits?: number;
  requestsPerMonth?: number | null;
  seats?: number;
  stripePriceId?: string | null;
}

/** The plans on offer: every signed-in user sees the current ones; billing administrators define them, on the record. */
@Injectable()
export class PlanCatalogue {
  constructor(
    private readonly plans: PlanRepository,
    private readonly audit: AuditLog,
    private readonly requestCap: PlanRequestCap,
  ) {}

  list(principal: Principal, includeArchived: boolean): Promise<Plan[]> {
    if (includeArchived && !can(principal.role, 'billing:manage')) {
      throw new DomainError('FORBIDDEN', 'Only billing administrators see archived plans', { permission: 'billing:manage' });
    }
    return this.plans.list({ includeArchived });
  }

  async create(principal: Principal, fields: PlanFields & { code: string; currency?: string }): Promise<Plan> {
    const code = fields.code.trim().toLowerCase();
    if (!CODE.test(code)) throw DomainError.badInput('code must be 1 to 50 lower-case letters, digits or dashes', { field: 'code' });
    const currency = (fields.currency ?? 'usd').trim().toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw DomainError.badInput('currency must be an ISO 4217 code', { field: 'currency' });
    const changes = parseFields(fields);
    const plan: NewPlan = {
      code,
      currency,
      name: required(changes.name, 'name'),
      priceCents: required(changes.priceCents, 'priceCents'),
      monthlyCredits: required(changes.monthlyCredits, 'monthlyCredits'),
      requestsPerMonth: changes.requestsPerMonth ?? null,
      seats: changes.seats ?? 1,
      stripePriceId: changes.stripePriceId ?? null,
    };
    assertBillable(plan.priceCents, plan.stripePriceId);
    const created = await this.plans.create(plan);
    await this.record(principal, 'billing.plan_created', created, describe(changes));
    return created;
  }

  async update(principal: Principal, id: string, fields: PlanFields): Promise<Plan> {
    const changes = parseFields(fields);
    if (Object.keys(changes).length === 0) throw DomainError.badInput('Nothing to change');
    const current = await this.plans.find(id);
    if (!current || current.id !== id) throw DomainError.notFound('Plan', { id });
    assertBillable(changes.priceCents ?? current.priceCents, changes.stripePriceId !== undefined ? changes.stripePriceId : null);
    const updated = await this.plans.update(id, changes);
    if (!updated) throw DomainError.notFound('Plan', { id });
    if (changes.requestsPerMonth !== undefined) this.requestCap.forgetAll();
    await this.record(principal, 'billing.plan_updated', updated, describe(changes));
    return updated;
  }

  /** Archived plans are no longer sold; subscriptions to them go on until they end. Twice is recorded once. */
  async archive(principal: Principal, id: string): Promise<Plan> {
    const plan = await this.plans.find(id);
    if (!plan || plan.id !== id) throw DomainError.notFound('Plan', { id });
    // Free is where every ended subscription lands.
    if (plan.code === FREE_PLAN_CODE) throw DomainError.badInput('The free plan cannot be archived', { field: 'id' });
    const result = await this.plans.archive(id);
    if (!result) throw DomainError.notFound('Plan', { id });
    if (result.changed) await this.record(principal, 'billing.plan_archived', result.plan, {});
    return result.plan;
  }

  private record(principal: Principal, action: string, plan: Plan, details: Record<string, unknown>): Promise<void> {
    return this.audit.record(principal.userId, action, {
      targetType: 'plan',
      targetId: plan.id,
      details: { code: plan.code, ...details },
    });
  }
}

function parseFields(fields: PlanFields): PlanChanges {
  const changes: PlanChanges = {};
  if (fields.name !== undefined) {
    const name = fields.name.trim();
    if (name.length === 0 || name.length > 100) throw DomainError.badInput('name must be 1 to 100 characters', { field: 'name' });
    changes.name = name;
  }
  if (fields.priceCents !== undefined) {
    const price = fields.priceCents;
    if (!Number.isInteger(price) || price < 0 || price > MAX_PRICE_CENTS || (price > 0 && price < MIN_PAID_PRICE_CENTS)) {
      throw DomainError.badInput(`priceCents must be 0 (free) or a whole number from ${MIN_PAID_PRICE_CENTS} to ${MAX_PRICE_CENTS}`, {
        field: 'priceCents',
      });
    }
    changes.priceCents = price;
  }
  if (fields.monthlyCredits !== undefined) changes.monthlyCredits = Credits.parse(fields.monthlyCredits, 'monthlyCredits');
  if (fields.requestsPerMonth !== undefined) {
    const cap = fields.requestsPerMonth;
    if (cap !== null && (!Number.isInteger(cap) || cap < 1 || cap > 2_000_000_000)) {
      throw DomainError.badInput('requestsPerMonth must be a whole number from 1 to 2,000,000,000, or null for no cap', {
        field: 'requestsPerMonth',
      });
    }
    changes.requestsPerMonth = cap;
  }
  if (fields.seats !== undefined) {
    if (!Number.isInteger(fields.seats) || fields.seats < 1 || fields.seats > 100_000) {
      throw DomainError.badInput('seats must be a whole number from 1 to 100,000', { field: 'seats' });
    }
    changes.seats = fields.seats;
  }
  if (fields.stripePriceId !== undefined) {
    const priceId = fields.stripePriceId?.trim() || null;
    if (priceId !== null && !STRIPE_PRICE_ID.test(priceId)) {
      throw DomainError.badInput('stripePriceId must be a Stripe price id (price_…)', { field: 'stripePriceId' });
    }
    changes.stripePriceId = priceId;
  }
  return changes;
}

function assertBillable(priceCents: number, stripePriceId: string | null): void {
  if (priceCents === 0 && stripePriceId) {
    throw DomainError.badInput('A free plan has no Stripe price', { field: 'stripePriceId' });
  }
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw DomainError.badInput(`${field} is required`, { field });
  return value;
}

function describe(changes: PlanChanges): Record<string, unknown> {
  return { ...changes, monthlyCredits: changes.monthlyCredits?.toNumber() };
}
