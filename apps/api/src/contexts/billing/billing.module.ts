import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { QUEUES } from '@sah/infrastructure';
import { BillingAdminModule } from './admin/billing-admin.module';
import { CreditViews } from './application/credit-views.service';
import { PartnerCredits } from './application/partner-credits.service';
import { BudgetsModule } from './budgets/budgets.module';
import { BillingEventHandlers } from './events/billing-event-handlers';
import { CreditsResolver } from './graphql/credits.resolver';
import { PartnerCreditsController } from './http/partner-credits.controller';
import { BillingProcessor } from './jobs/billing.processor';
import { BillingScheduler } from './jobs/billing.scheduler';
import { LedgerHousekeeping } from './jobs/ledger-housekeeping';
import { LedgerModule } from './ledger.module';
import { PaymentsModule } from './payments/payments.module';
import { PromotionsModule } from './promotions/promotions.module';
import { TeamWalletsModule } from './team-wallets/team-wallets.module';

/**
 * The billing bounded context: the credit ledger and everything that moves credits (partner
 * deducts, promo codes, admin adjustments and refunds, Stripe top-ups). Processes that run workers
 * also run the ledger's housekeeping jobs.
 */
@Module({})
export class BillingModule {
  static register(options: { runWorkers: boolean }): DynamicModule {
    return {
      module: BillingModule,
      imports: [
        LedgerModule,
        PaymentsModule,
        PromotionsModule,
        BillingAdminModule,
        TeamWalletsModule,
        BudgetsModule,
        BullModule.registerQueue({ name: QUEUES.billing }),
      ],
      controllers: [PartnerCreditsController],
      providers: [
        PartnerCredits,
        CreditViews,
        CreditsResolver,
        BillingEventHandlers,
        LedgerHousekeeping,
        ...(options.runWorkers ? [BillingProcessor, BillingScheduler] : []),
      ],
      exports: [LedgerModule],
    };
  }
}
