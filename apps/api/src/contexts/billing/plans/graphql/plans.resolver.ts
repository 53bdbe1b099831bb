import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../../platform/auth/auth.decorators';
import type { Principal } from '../../../../platform/auth/principal';
import { ChangePlan } from '../application/change-plan.handler';
import { MySubscription } from '../application/my-subscription.service';
import { PlanCatalogue } from '../application/plan-catalogue.service';
import { SubscribeToPlan } from '../application/subscribe-to-plan.handler';
import { MyPlanObject, PlanChangeObject, PlanCheckoutObject, PlanObject, PlanSubscriptionObject } from './plan.objects';
import { ChangePlanInput, CreatePlanInput, SubscribeToPlanInput, UpdatePlanInput } from './plans.inputs';

/** Subscription plans: the catalogue, admins' edits to it, subscribing through Stripe Checkout, your own subscription. */
@Resolver()
export class PlansResolver {
  constructor(
    private readonly catalogue: PlanCatalogue,
    private readonly subscribe: SubscribeToPlan,
    private readonly mine: MySubscription,
    private readonly changePlanHandler: ChangePlan,
  ) {}

  @Query(() => [PlanObject], { description: 'Cheapest first; archived ones only for billing administrators' })
  async plans(
    @CurrentPrincipal() principal: Principal,
    @Args('includeArchived', { defaultValue: false }) includeArchived: boolean,
  ): Promise<PlanObject[]> {
    return (await this.catalogue.list(principal, includeArchived)).map(PlanObject.from);
  }

  @Mutation(() => PlanObject, { description: 'Billing administrators; audited' })
  @RequirePermission('billing:manage')
  async createPlan(@CurrentPrincipal() principal: Principal, @Args('input') input: CreatePlanInput): Promise<PlanObject> {
    return PlanObject.from(await this.catalogue.create(principal, input));
  }

  @Mutation(() => PlanObject, { description: 'Billing administrators; only the fields given change; audited' })
  @RequirePermission('billing:manage')
  async updatePlan(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdatePlanInput): Promise<PlanObject> {
    const { id, ...fields } = input;
    return PlanObject.from(await this.catalogue.update(principal, id, fields));
  }

  @Mutation(() => PlanObject, { description: 'Billing administrators: no longer sold (running subscriptions go on); audited' })
  @RequirePermission('billing:manage')
  async archivePlan(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<PlanObject> {
    return PlanObject.from(await this.catalogue.archive(principal, id));
  }

  @Mutation(() => PlanCheckoutObject, { description: 'Opens a Stripe Checkout page for a monthly plan; its allowance arrives with each paid invoice' })
  async subscribeToPlan(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SubscribeToPlanInput,
  ): Promise<PlanCheckoutObject> {
    return Object.assign(new PlanCheckoutObject(), await this.subscribe.execute(principal, input));
  }

  @Mutation(() => PlanChangeObject, {
    description: 'Moves your running subscription to another paid plan now; Stripe prorates the difference on your next invoice. Audited',
  })
  async changePlan(@CurrentPrincipal() principal: Principal, @Args('input') input: ChangePlanInput): Promise<PlanChangeObject> {
    return PlanChangeObject.from(await this.changePlanHandler.execute(principal, input));
  }

  @Query(() => MyPlanObject, { description: 'Your plan now (Free without a running subscription) and its allowance' })
  async myPlan(@CurrentPrincipal() principal: Principal): Promise<MyPlanObject> {
    return MyPlanObject.from(await this.mine.myPlan(principal));
  }

  @Query(() => PlanSubscriptionObject, { description: 'Your own, or any for billing administrators' })
  async planSubscription(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PlanSubscriptionObject> {
    return PlanSubscriptionObject.from(await this.mine.find(principal, id));
  }

  @Mutation(() => PlanSubscriptionObject, { description: 'Ends your subscription when its paid period ends (then Free)' })
  async cancelPlanSubscription(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PlanSubscriptionObject> {
    return PlanSubscriptionObject.from(await this.mine.cancel(principal, id));
  }
}
