import { Module } from '@nestjs/common';
import {
  CreditPackageRepository,
  PaymentRepository,
  StripeEventLog,
} from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { LedgerModule } from '../ledger.module';
import { PlansModule } from '../plans/plans.module';
import { TeamWalletsModule } from '../team-wallets/team-wallets.module';
import { Checkout } from './application/checkout.service';
import { CreditPackages } from './application/credit-packages.service';
import { PaymentHistory } from './application/payment-history.service';
import { PaymentReceipts } from './application/payment-receipts';
import { PaymentRefunds } from './application/payment-refunds.service';
import { PaymentSettlement } from './application/payment-settlement.service';
import { StripeWebhookEvents } from './application/stripe-webhook-events.service';
import { PaymentsResolver } from './graphql/payments.resolver';
import { CheckoutController } from './http/checkout.controller';
import { StripeWebhookController } from './http/stripe-webhook.controller';
import { StripeEventRetention } from './stripe-event-retention';

const repository = <T>(token: abstract new (...args: never[]) => T, make: (dataSource: DataSource) => T) => ({
  provide: token,
  inject: [DataSource],
  useFactory: make,
});

/**
 * Stripe top-ups: credit packages, Checkout Sessions, the signed webhook, payments and receipts.
 * Purchases go to the buyer's balance or, made for a team, to its wallet. The webhook hands
 * subscription events to the plans module.
 */
@Module({
  imports: [LedgerModule, PlansModule, TeamWalletsModule],
  controllers: [CheckoutController, StripeWebhookController],
  providers: [
    repository(CreditPackageRepository, (ds) => new CreditPackageRepository(ds)),
    repository(PaymentRepository, (ds) => new PaymentRepository(ds)),
    repository(StripeEventLog, (ds) => new StripeEventLog(ds)),
    CreditPackages,
    Checkout,
    PaymentHistory,
    PaymentSettlement,
    PaymentRefunds,
    StripeWebhookEvents,
    StripeEventRetention,
    PaymentReceipts,
    PaymentsResolver,
  ],
})
export class PaymentsModule {}
