import type { MyPlan, MyPlanSubscription, Plan } from '../data-access/plans.types';

/** Server-shaped plans (with __typename, as Apollo's cache expects) for the plans page and the Plan card. */

export function aPlan(overrides: Partial<Plan> = {}): Plan & { __typename: 'Plan' } {
  return {
    __typename: 'Plan',
    id: 'plan-starter',
    code: 'starter',
    name: 'Starter',
    priceCents: 1900,
    currency: 'usd',
    monthlyCredits: 250,
    requestsPerMonth: 10_000,
    seats: 1,
    stripePriceId: null,
    archivedAt: null,
    ...overrides,
  };
}

export const FREE_PLAN = aPlan({ id: 'plan-free', code: 'free', name: 'Free', priceCents: 0, monthlyCredits: 0, requestsPerMonth: 1000 });

export function aSubscription(
  overrides: Partial<MyPlanSubscription> = {},
): MyPlanSubscription & { __typename: 'PlanSubscription' } {
  return {
    __typename: 'PlanSubscription',
    id: 'sub-1',
    status: 'ACTIVE',
    currentPeriodStart: '2026-12-01T00:00:00.000Z',
    currentPeriodEnd: '2026-12-31T00:00:00.000Z',
    cancelAtPeriodEnd: false,
    pastDueSince: null,
    ...overrides,
  };
}

/** On Free by default; `subscribed` gives Starter, paid, 100 of its 250 credits spent. */
export function myPlan(overrides: Partial<MyPlan> = {}): MyPlan & { __typename: 'MyPlan' } {
  return {
    __typename: 'MyPlan',
    plan: FREE_PLAN,
    subscription: null,
    allowanceGranted: 0,
    allowanceRemaining: 0,
    allowanceUsed: 0,
    graceEndsAt: null,
    requestsUsed: 0,
    requestsRenewAt: '2027-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function subscribed(overrides: Partial<MyPlan> = {}): MyPlan & { __typename: 'MyPlan' } {
  return myPlan({
    plan: aPlan(),
    subscription: aSubscription(),
    allowanceGranted: 250,
    allowanceRemaining: 150,
    allowanceUsed: 100,
    ...overrides,
  });
}
