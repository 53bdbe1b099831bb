import { Module } from '@nestjs/common';
import {
  CreditPackageRepository,
  PaymentRepository,
  StripeEventLog,
  StripeGateway,
} from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { LedgerModule } from '../ledger.module';
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

/** Stripe top-ups: credit packages, Checkout Sessions, the signed webhook, payments and receipts. */
@Module({
  imports: [LedgerModule],
  controllers: [CheckoutController, StripeWebhookController],
  providers: [
    repository(CreditPackageRepository, (ds) => new CreditPackageRepository(ds)),
    repository(PaymentRepository, (ds) => new PaymentRepository(ds)),
    repository(StripeEventLog, (ds) => new StripeEventLog(ds)),
    {
      provide: StripeGateway,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new StripeGateway(config.stripe),
    },
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
