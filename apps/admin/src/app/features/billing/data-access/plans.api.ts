import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { exhaustMap, map, take, takeWhile, timer, type Observable } from 'rxjs';

import {
  ArchivePlanDocument,
  CancelPlanSubscriptionDocument,
  ChangePlanDocument,
  CreatePlanDocument,
  MyPlanDocument,
  PlansDocument,
  SubscribeToPlanDocument,
  UpdatePlanDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';
import type { CreatePlanInput, MyPlan, Plan, PlanChange, PlanCheckout, UpdatePlanInput } from './plans.types';

/** How often, and how many times, the Plan card asks whether Stripe's event has moved the plan. */
const PLAN_CHANGE_POLL = { everyMs: 2_000, times: 30 };

/**
 * Data access for subscription plans: the catalogue (billing administrators edit it), your own plan
 * and its allowance, subscribing through Stripe Checkout, changing plan in place and cancelling. Fetched network-only: a
 * plan changes with Stripe's webhooks, behind the console's back.
 */
@Injectable({ providedIn: 'root' })
export class PlansApi {
  private readonly apollo = inject(Apollo);

  /** Cheapest first; archived ones too only for billing administrators. */
  plans(includeArchived: boolean): Observable<Plan[]> {
    return this.apollo.query({ query: PlansDocument, variables: { includeArchived }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => [...data.plans]),
    );
  }

  createPlan(input: CreatePlanInput): Observable<Plan> {
    return this.apollo.mutate({ mutation: CreatePlanDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.createPlan),
    );
  }

  updatePlan(input: UpdatePlanInput): Observable<Plan> {
    return this.apollo.mutate({ mutation: UpdatePlanDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.updatePlan),
    );
  }

  /** No longer sold; running subscriptions go on. */
  archivePlan(id: string): Observable<Plan> {
    return this.apollo.mutate({ mutation: ArchivePlanDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.archivePlan),
    );
  }

  myPlan(): Observable<MyPlan> {
    return this.apollo.query({ query: MyPlanDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.myPlan),
    );
  }

  /**
   * Your plan, read again until it is `planId` (Stripe's event of a plan change has arrived) or a
   * minute has passed; each reading is emitted.
   */
  myPlanUntil(planId: string): Observable<MyPlan> {
    return timer(0, PLAN_CHANGE_POLL.everyMs).pipe(
      take(PLAN_CHANGE_POLL.times),
      exhaustMap(() => this.myPlan()),
      takeWhile((mine) => mine.plan.id !== planId, true),
    );
  }

  /** Moves your running subscription to `plan` (code or id) now; Stripe prorates the difference on the next invoice. */
  changePlan(plan: string): Observable<PlanChange> {
    return this.apollo.mutate({ mutation: ChangePlanDocument, variables: { input: { plan } }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.changePlan),
    );
  }

  /** A Stripe Checkout page for `plan` (code or id); Stripe sends the subscriber back to one of the URLs. */
  subscribeToPlan(plan: string, successUrl: string, cancelUrl: string): Observable<PlanCheckout> {
    return this.apollo
      .mutate({ mutation: SubscribeToPlanDocument, variables: { input: { plan, successUrl, cancelUrl } }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.subscribeToPlan),
      );
  }

  /** Ends the subscription when its paid period does (then Free). */
  cancelPlanSubscription(id: string): Observable<{ readonly cancelAtPeriodEnd: boolean }> {
    return this.apollo
      .mutate({ mutation: CancelPlanSubscriptionDocument, variables: { id }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.cancelPlanSubscription),
      );
  }
}
