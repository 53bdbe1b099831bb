import { Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import {
  Plan,
  PlanRepository,
  PlanSubscription,
  PlanSubscriptionRepository,
  StripeGateway,
} from '@sah/infrastructure';
import type { Principal } from '../../../../platform/auth/principal';
import { AuditLog } from '../../../identity/application/audit-log.service';
import { PlanStripePrice } from './plan-stripe-price';

export interface PlanChange {
  subscription: PlanSubscription;
  /** The plan Stripe bills from now on; the subscription's own once Stripe's event arrives. */
  plan: Plan;
}

/**
 * Moves the caller's running subscription to another paid plan in place: Stripe swaps the item's
 * price now and prorates the rest of the period onto the next invoice. Our row changes plan only
 * when Stripe's `customer.subscription.updated` says so (SubscriptionEvents), the one path by which
 * Stripe's state reaches us, applied in event order. Moving to Free is cancelling.
 */
@Injectable()
export class ChangePlan {
  constructor(
    private readonly gateway: StripeGateway,
    private readonly plans: PlanRepository,
    private readonly subscriptions: PlanSubscriptionRepository,
    private readonly prices: PlanStripePrice,
    private readonly audit: AuditLog,
  ) {}

  async execute(principal: Principal, request: { plan: string }): Promise<PlanChange> {
    this.gateway.assertConfigured();
    const plan = await this.plans.find(request.plan.trim());
    if (!plan || plan.archivedAt)
      throw DomainError.badInput(`No plan "${request.plan}" is on offer`, { field: 'plan' });
    if (plan.priceCents === 0)
      throw DomainError.badInput(
        `To move to ${plan.name}, cancel your subscription: it ends with the paid month`,
        { field: 'plan' },
      );
    const subscription = await this.subscriptions.current(principal.userId);
    if (!subscription)
      throw new DomainError('NOT_FOUND', 'You have no running subscription: subscribe to a plan first');
    if (subscription.planId === plan.id)
      throw DomainError.badInput(`You are on ${plan.name} already`, { field: 'plan' });
    if (subscription.status === 'past_due')
      throw new DomainError('CONFLICT', 'Your last payment failed: settle it before changing plan', {
        subscriptionId: subscription.id,
      });
    if (!subscription.stripeSubscriptionId)
      throw new DomainError('CONFLICT', 'Stripe has not confirmed this subscription yet: try again shortly');

    const priceId = await this.prices.of(plan);
    const item = await this.gateway.subscriptionItem(subscription.stripeSubscriptionId);
    if (!item)
      throw new DomainError('CONFLICT', 'Stripe shows no plan on this subscription', {
        subscriptionId: subscription.id,
      });
    // Stripe bills the new price already (an earlier click whose event is on its way): nothing to send.
    if (item.stripePriceId === priceId) return { subscription, plan };
    const { replayed } = await this.gateway.changeSubscriptionPrice({
      stripeSubscriptionId: subscription.stripeSubscriptionId,
      itemId: item.itemId,
      stripePriceId: priceId,
      // A double click sends one change; the row's version lets the same change be asked for again after another one.
      idempotencyKey: `plan-change-${subscription.stripeSubscriptionId}-${plan.id}-${subscription.updatedAt.getTime()}`,
    });
    if (!replayed)
      await this.audit.record(principal.userId, 'billing.subscription_plan_changed', {
        targetType: 'plan_subscription',
        targetId: subscription.id,
        details: {
          fromPlanId: subscription.planId,
          toPlanId: plan.id,
          fromStripePriceId: item.stripePriceId,
          toStripePriceId: priceId,
        },
      });
    return { subscription, plan };
  }
}
