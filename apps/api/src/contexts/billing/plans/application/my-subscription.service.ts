import { Injectable } from '@nestjs/common';
import { can, Credits, DomainError, requestCapPeriod, RequestCapPeriod } from '@sah/domain';
import { Plan, PlanRepository, PlanSubscription, PlanSubscriptionRepository, StripeGateway } from '@sah/infrastructure';
import { AppConfig } from '../../../../config/app-config';
import type { Principal } from '../../../../platform/auth/principal';
import { AuditLog } from '../../../identity/application/audit-log.service';
import { FREE_PLAN_CODE } from './free-plan';
import { PlanRequestCap } from './plan-request-cap';
import { INVOICE_GRANT_SCOPE } from './subscription-events.service';

export interface MyPlan {
  plan: Plan;
  subscription: PlanSubscription | null;
  allowanceGranted: Credits;
  allowanceRemaining: Credits;
  allowanceUsed: Credits;
  /** Past due: when the maintenance job moves the user to Free unless a payment comes first. */
  graceEndsAt: Date | null;
  /** The period the plan's request cap counts over now, and the requests counted in it. */
  requestsPeriod: RequestCapPeriod;
  requestsUsed: number;
}

const DAY_MS = 24 * 60 * 60_000;

/** A user's own subscription: which plan applies, how much of its allowance is left, cancelling it. */
@Injectable()
export class MySubscription {
  constructor(
    private readonly plans: PlanRepository,
    private readonly subscriptions: PlanSubscriptionRepository,
    private readonly gateway: StripeGateway,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly requestCap: PlanRequestCap,
  ) {}

  async myPlan(principal: Principal, now = new Date()): Promise<MyPlan> {
    const subscription = await this.subscriptions.current(principal.userId);
    const plan = await this.plans.find(subscription?.planId ?? FREE_PLAN_CODE);
    if (!plan) throw DomainError.notFound('Plan', { code: FREE_PLAN_CODE });
    const allowance = await this.subscriptions.allowance(principal.userId, INVOICE_GRANT_SCOPE, now);
    const requestsPeriod = requestCapPeriod({ start: subscription?.currentPeriodStart ?? null, end: subscription?.currentPeriodEnd ?? null }, now);
    const pastDueSince = subscription?.status === 'past_due' ? subscription.pastDueSince : null;
    return {
      plan,
      subscription,
      allowanceGranted: allowance.granted,
      allowanceRemaining: allowance.remaining,
      allowanceUsed: allowance.granted.minus(allowance.remaining),
      graceEndsAt: pastDueSince ? new Date(pastDueSince.getTime() + this.config.stripe.planGraceDays * DAY_MS) : null,
      requestsPeriod,
      requestsUsed: await this.requestCap.used(principal.userId, requestsPeriod),
    };
  }

  /** Its owner's, or any for billing administrators; anyone else's id is not found. */
  async find(principal: Principal, id: string): Promise<PlanSubscription> {
    const subscription = await this.subscriptions.findById(id);
    if (!subscription || (subscription.userId !== principal.userId && !can(principal.role, 'billing:manage'))) {
      throw DomainError.notFound('Subscription', { id });
    }
    return subscription;
  }

  planOf(subscription: PlanSubscription): Promise<Plan | null> {
    return this.plans.find(subscription.planId);
  }

  /**
   * Asks Stripe to end the subscription when its paid period ends; the plan and its credits stay
   * until then (Stripe's `customer.subscription.deleted` moves the user to Free). Only its owner may.
   */
  async cancel(principal: Principal, id: string): Promise<PlanSubscription> {
    const subscription = await this.subscriptions.findById(id);
    if (!subscription || subscription.userId !== principal.userId) throw DomainError.notFound('Subscription', { id });
    if (subscription.status !== 'active' && subscription.status !== 'past_due') {
      throw DomainError.badInput('Only a running subscription can be cancelled', { field: 'id', status: subscription.status });
    }
    if (subscription.cancelAtPeriodEnd) return subscription;
    if (!subscription.stripeSubscriptionId) throw new DomainError('CONFLICT', 'Stripe has not confirmed this subscription yet: try again shortly');
    await this.gateway.cancelAtPeriodEnd(subscription.stripeSubscriptionId);
    const updated = (await this.subscriptions.noteCancelAtPeriodEnd(subscription.id)) ?? subscription;
    await this.audit.record(principal.userId, 'billing.subscription_cancel_requested', {
      targetType: 'plan_subscription',
      targetId: subscription.id,
      details: { periodEnd: subscription.currentPeriodEnd?.toISOString() ?? null },
    });
    return updated;
  }
}
