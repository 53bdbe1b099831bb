import { Injectable } from '@nestjs/common';
import { DomainError, UserRepository } from '@sah/domain';
import { PlanRepository, PlanSubscriptionRepository, StripeGateway } from '@sah/infrastructure';
import type { Principal } from '../../../../platform/auth/principal';
import { redirectUrl } from '../../payments/application/checkout.service';
import { PlanStripePrice } from './plan-stripe-price';

export interface SubscribeRequest {
  /** A plan code (`pro`) or id. */
  plan: string;
  successUrl: string;
  cancelUrl: string;
}

export interface SubscribeResult {
  subscriptionId: string;
  sessionId: string;
  url: string;
}

/**
 * Opens a Stripe Checkout Session in subscription mode for a plan. The subscription row is written
 * first, so every Stripe subscription opened here has its row (its id travels in the subscription's
 * metadata). A plan without a Stripe price gets one, created once for its current amount.
 */
@Injectable()
export class SubscribeToPlan {
  constructor(
    private readonly gateway: StripeGateway,
    private readonly plans: PlanRepository,
    private readonly subscriptions: PlanSubscriptionRepository,
    private readonly users: UserRepository,
    private readonly prices: PlanStripePrice,
  ) {}

  async execute(principal: Principal, request: SubscribeRequest): Promise<SubscribeResult> {
    this.gateway.assertConfigured();
    const successUrl = redirectUrl(request.successUrl, 'successUrl');
    const cancelUrl = redirectUrl(request.cancelUrl, 'cancelUrl');
    const plan = await this.plans.find(request.plan.trim());
    if (!plan || plan.archivedAt) throw DomainError.badInput(`No plan "${request.plan}" is on offer`, { field: 'plan' });
    if (plan.priceCents === 0) throw DomainError.badInput(`${plan.name} is free: there is nothing to subscribe to`, { field: 'plan' });
    const current = await this.subscriptions.current(principal.userId);
    if (current) {
      throw new DomainError('CONFLICT', 'You have a subscription already: change its plan (changePlan) or cancel it', {
        subscriptionId: current.id,
      });
    }
    const user = await this.users.findById(principal.userId);
    if (!user) throw DomainError.notFound('User', { userId: principal.userId });
    const priceId = await this.prices.of(plan);

    const subscription = await this.subscriptions.createIncomplete(principal.userId, plan.id);
    try {
      const session = await this.gateway.createSubscriptionCheckout({
        subscriptionId: subscription.id,
        userId: principal.userId,
        email: user.snapshot.email.value,
        planCode: plan.code,
        stripePriceId: priceId,
        successUrl,
        cancelUrl,
      });
      await this.subscriptions.attachSession(subscription.id, session.id);
      return { subscriptionId: subscription.id, sessionId: session.id, url: session.url };
    } catch (error) {
      await this.subscriptions.abandon(subscription.id);
      throw error;
    }
  }
}
