import type {
  ChangePlanMutation,
  MyPlanQuery,
  PlanFieldsFragment,
  SubscribeToPlanMutation,
} from '../../../core/graphql/operations.generated';

/**
 * The plans page's and the Plan card's names for the generated operation types (plans.graphql).
 * Prices are integer cents; credits are Floats with at most 3 decimals that the console formats
 * and passes on, never adds or subtracts (the API says how much of an allowance is used).
 */

export type {
  CreatePlanInput,
  PlanSubscriptionStatus,
  UpdatePlanInput,
} from '../../../core/graphql/operations.generated';

export type Plan = PlanFieldsFragment;
export type MyPlan = MyPlanQuery['myPlan'];
export type MyPlanSubscription = NonNullable<MyPlan['subscription']>;
export type PlanCheckout = SubscribeToPlanMutation['subscribeToPlan'];
export type PlanChange = ChangePlanMutation['changePlan'];
