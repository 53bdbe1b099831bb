import { Module } from '@nestjs/common';
import { BillingAdminModule } from './admin/billing-admin.module';
import { LedgerModule } from './ledger.module';
import { PaymentsModule } from './payments/payments.module';
import { PromotionsModule } from './promotions/promotions.module';

/**
 * The billing bounded context: the credit ledger and everything that moves credits (partner
 * deducts, promo codes, admin adjustments and refunds, Stripe top-ups).
 */
@Module({
  imports: [LedgerModule, PaymentsModule, PromotionsModule, BillingAdminModule],
  exports: [LedgerModule],
})
export class BillingModule {}
