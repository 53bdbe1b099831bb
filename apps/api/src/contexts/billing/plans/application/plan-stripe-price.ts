import { Injectable } from '@nestjs/common';
import { Plan, PlanRepository, StripeGateway } from '@sah/infrastructure';

/** The Stripe price a plan bills: its own, or one created once for its current amount. */
@Injectable()
export class PlanStripePrice {
  constructor(
    private readonly gateway: StripeGateway,
    private readonly plans: PlanRepository,
  ) {}

  async of(plan: Plan): Promise<string> {
    if (plan.stripePriceId) return plan.stripePriceId;
    const created = await this.gateway.createPlanPrice({
      planId: plan.id,
      planName: plan.name,
      amountCents: plan.priceCents,
      currency: plan.currency,
    });
    // An admin may have set another price meanwhile: the plan's own wins.
    const updated = await this.plans.attachStripePrice(plan.id, plan.priceCents, created);
    return updated?.stripePriceId ?? created;
  }
}
