import { Credits } from '@sah/domain';

export interface Plan {
  id: string;
  /** Stable, lower-case handle used by clients (`free`, `starter`, `pro`, `team`). */
  code: string;
  name: string;
  /** Minor units of `currency` a month; 0 for the free plan. */
  priceCents: number;
  currency: string;
  /** Credits granted at each paid invoice, expiring at the end of the period paid for. */
  monthlyCredits: Credits;
  /** Null: no cap. */
  requestsPerMonth: number | null;
  seats: number;
  stripePriceId: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PlanRow {
  id: string;
  code: string;
  name: string;
  price_cents: number;
  currency: string;
  monthly_credits: string;
  requests_per_month: number | null;
  seats: number;
  stripe_price_id: string | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toPlan(row: PlanRow): Plan {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    priceCents: row.price_cents,
    currency: row.currency,
    monthlyCredits: Credits.fromMillis(BigInt(row.monthly_credits)),
    requestsPerMonth: row.requests_per_month,
    seats: row.seats,
    stripePriceId: row.stripe_price_id,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const SUBSCRIPTION_STATUSES = ['incomplete', 'active', 'past_due', 'canceled', 'lapsed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** The statuses in which a subscription's plan applies. */
export const LIVE_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['active', 'past_due'];

export interface PlanSubscription {
  id: string;
  userId: string;
  planId: string;
  status: SubscriptionStatus;
  stripeSessionId: string | null;
  stripeSubscriptionId: string | null;
  stripeCustomerId: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: Date | null;
  endedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PlanSubscriptionRow {
  id: string;
  user_id: string;
  plan_id: string;
  status: SubscriptionStatus;
  stripe_session_id: string | null;
  stripe_subscription_id: string | null;
  stripe_customer_id: string | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  past_due_since: Date | null;
  ended_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toPlanSubscription(row: PlanSubscriptionRow): PlanSubscription {
  return {
    id: row.id,
    userId: row.user_id,
    planId: row.plan_id,
    status: row.status,
    stripeSessionId: row.stripe_session_id,
    stripeSubscriptionId: row.stripe_subscription_id,
    stripeCustomerId: row.stripe_customer_id,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    cancelAtPeriodEnd: row.cancel_at_period_end,
    pastDueSince: row.past_due_since,
    endedAt: row.ended_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
