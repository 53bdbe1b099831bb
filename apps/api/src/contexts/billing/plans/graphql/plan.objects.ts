import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Plan, PlanSubscription, SUBSCRIPTION_STATUSES, SubscriptionStatus } from '@sah/infrastructure';
import type { PlanChange } from '../application/change-plan.handler';
import type { MyPlan } from '../application/my-subscription.service';

export enum PlanSubscriptionStatusEnum {
  INCOMPLETE = 'incomplete',
  ACTIVE = 'active',
  PAST_DUE = 'past_due',
  CANCELED = 'canceled',
  LAPSED = 'lapsed',
}
registerEnumType(PlanSubscriptionStatusEnum, {
  name: 'PlanSubscriptionStatus',
  description: `One of: ${SUBSCRIPTION_STATUSES.join(', ')} (lapsed: moved to Free after the grace period of a failed payment)`,
});

@ObjectType('Plan', { description: 'A monthly subscription plan' })
export class PlanObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'Stable handle, e.g. "pro"; accepted wherever a plan is asked for' }) code!: string;
  @Field() name!: string;
  @Field(() => Int, { description: 'Monthly price in the currency’s minor units (cents); 0 for Free' }) priceCents!: number;
  @Field({ description: 'ISO 4217, lower case' }) currency!: string;
  @Field(() => Float, { description: 'Credits granted at each paid month, expiring at its end' }) monthlyCredits!: number;
  @Field(() => Int, { nullable: true, description: 'Requests a month; null: no cap' }) requestsPerMonth!: number | null;
  @Field(() => Int) seats!: number;
  @Field(() => String, { nullable: true, description: 'The Stripe price billed; created on first checkout when unset' })
  stripePriceId!: string | null;
  @Field(() => Date, { nullable: true, description: 'No longer sold when set' }) archivedAt!: Date | null;

  static from(plan: Plan): PlanObject {
    return Object.assign(new PlanObject(), {
      id: plan.id,
      code: plan.code,
      name: plan.name,
      priceCents: plan.priceCents,
      currency: plan.currency,
      monthlyCredits: plan.monthlyCredits.toNumber(),
      requestsPerMonth: plan.requestsPerMonth,
      seats: plan.seats,
      stripePriceId: plan.stripePriceId,
      archivedAt: plan.archivedAt,
    });
  }
}

@ObjectType('PlanSubscription', { description: 'A Stripe subscription to a plan, as Stripe last reported it' })
export class PlanSubscriptionObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) userId!: string;
  @Field(() => ID) planId!: string;
  @Field(() => PlanSubscriptionStatusEnum) status!: SubscriptionStatus;
  @Field(() => Date, { nullable: true }) currentPeriodStart!: Date | null;
  @Field(() => Date, { nullable: true }) currentPeriodEnd!: Date | null;
  @Field({ description: 'Ends (to Free) when the current period does' }) cancelAtPeriodEnd!: boolean;
  @Field(() => Date, { nullable: true, description: 'Past due: when the first payment failed' }) pastDueSince!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field() createdAt!: Date;

  static from(subscription: PlanSubscription): PlanSubscriptionObject {
    return Object.assign(new PlanSubscriptionObject(), {
      id: subscription.id,
      userId: subscription.userId,
      planId: subscription.planId,
      status: subscription.status,
      currentPeriodStart: subscription.currentPeriodStart,
      currentPeriodEnd: subscription.currentPeriodEnd,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      pastDueSince: subscription.pastDueSince,
      endedAt: subscription.endedAt,
      createdAt: subscription.createdAt,
    });
  }
}

@ObjectType('MyPlan', { description: 'The plan that applies to you now and its allowance' })
export class MyPlanObject {
  @Field(() => PlanObject, { description: 'Free without a running subscription' }) plan!: PlanObject;
  @Field(() => PlanSubscriptionObject, { nullable: true }) subscription!: PlanSubscriptionObject | null;
  @Field(() => Float, { description: 'Allowance credits granted for the periods still running' }) allowanceGranted!: number;
  @Field(() => Float, { description: 'Of those, not yet spent' }) allowanceRemaining!: number;
  @Field(() => Float, { description: 'Of those, spent (granted less remaining, exact)' }) allowanceUsed!: number;
  @Field(() => Date, {
    nullable: true,
    description: 'Past due: when the plan ends (moved to Free) unless a payment comes first (PLAN_GRACE_PERIOD_DAYS after the first failed payment)',
  })
  graceEndsAt!: Date | null;
  @Field(() => Int, { description: "AI requests counted against the plan's requestsPerMonth in the current period" })
  requestsUsed!: number;
  @Field(() => Date, { description: 'When the current request period ends and the count starts again' })
  requestsRenewAt!: Date;

  static from(myPlan: MyPlan): MyPlanObject {
    return Object.assign(new MyPlanObject(), {
      plan: PlanObject.from(myPlan.plan),
      subscription: myPlan.subscription ? PlanSubscriptionObject.from(myPlan.subscription) : null,
      allowanceGranted: myPlan.allowanceGranted.toNumber(),
      allowanceRemaining: myPlan.allowanceRemaining.toNumber(),
      allowanceUsed: myPlan.allowanceUsed.toNumber(),
      graceEndsAt: myPlan.graceEndsAt,
      requestsUsed: myPlan.requestsUsed,
      requestsRenewAt: myPlan.requestsPeriod.end,
    });
  }
}

@ObjectType('PlanCheckout', { description: 'A Stripe-hosted subscription checkout: send the buyer to `url`' })
export class PlanCheckoutObject {
  @Field(() => ID, { description: 'The subscription this checkout starts' }) subscriptionId!: string;
  @Field() sessionId!: string;
  @Field() url!: string;
}

@ObjectType('PlanChange', {
  description: 'A plan change Stripe accepted: it prorates the difference on the next invoice, and the subscription shows the new plan once Stripe reports it (customer.subscription.updated)',
})
export class PlanChangeObject {
  @Field(() => PlanSubscriptionObject, { description: 'As last reported by Stripe (the plan changes with its event)' })
  subscription!: PlanSubscriptionObject;
  @Field(() => PlanObject, { description: 'The plan Stripe bills from now on' }) plan!: PlanObject;

  static from(change: PlanChange): PlanChangeObject {
    return Object.assign(new PlanChangeObject(), {
      subscription: PlanSubscriptionObject.from(change.subscription),
      plan: PlanObject.from(change.plan),
    });
  }
}
