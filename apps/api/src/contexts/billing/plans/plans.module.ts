import { Module } from '@nestjs/common';
import { PeriodCounter, PlanRepository, PlanSubscriptionRepository, StripeGateway } from '@sah/infrastructure';
import Redis from 'ioredis';
import { AppConfig } from '../../../config/app-config';
import { repositoryProvider } from '../../../platform/database/database.module';
import { LedgerModule } from '../ledger.module';
import { ChangePlan } from './application/change-plan.handler';
import { MySubscription } from './application/my-subscription.service';
import { OverdueSubscriptions } from './application/overdue-subscriptions';
import { PlanCatalogue } from './application/plan-catalogue.service';
import { PlanRequestCap } from './application/plan-request-cap';
import { PlanSeats } from './application/plan-seats';
import { PlanStripePrice } from './application/plan-stripe-price';
import { SubscribeToPlan } from './application/subscribe-to-plan.handler';
import { SubscriptionEvents } from './application/subscription-events.service';
import { PlansResolver } from './graphql/plans.resolver';

/**
 * Subscription plans: the catalogue admins define, Stripe Checkout in subscription mode, plan
 * changes in place (Stripe prorates), and the subscription events (routed here by the payments
 * webhook) that grant allowances and move users between plans, the plans' request caps that the
 * AI gateway enforces, and the seats of the teams a Team plan covers. Owns the Stripe gateway the
 * payments module uses too.
 */
@Module({
  imports: [LedgerModule],
  providers: [
    repositoryProvider(PlanRepository, (dataSource) => new PlanRepository(dataSource)),
    repositoryProvider(PlanSubscriptionRepository, (dataSource) => new PlanSubscriptionRepository(dataSource)),
    {
      provide: StripeGateway,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new StripeGateway(config.stripe),
    },
    // Requests per plan period; not the `ratelimit:` keys of the per-minute limits.
    { provide: PeriodCounter, inject: [Redis], useFactory: (redis: Redis) => new PeriodCounter(redis, 'plan-requests') },
    PlanRequestCap,
    PlanSeats,
    PlanCatalogue,
    PlanStripePrice,
    SubscribeToPlan,
    ChangePlan,
    MySubscription,
    SubscriptionEvents,
    OverdueSubscriptions,
    PlansResolver,
  ],
  exports: [StripeGateway, SubscriptionEvents, PlanRequestCap],
})
export class PlansModule {}
