import { Module } from '@nestjs/common';
import { PromoCodeRepository, PromoRedemptionRepository } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { LedgerModule } from '../ledger.module';
import { PromoCodeAdmin } from './application/promo-code-admin.service';
import { RedeemPromoCode } from './application/redeem-promo-code.handler';
import { PromoCodesResolver } from './graphql/promo-codes.resolver';

/** Promo codes: created and deactivated by admins, redeemed once per user, never beyond their limit. */
@Module({
  imports: [LedgerModule],
  providers: [
    { provide: PromoCodeRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new PromoCodeRepository(dataSource) },
    {
      provide: PromoRedemptionRepository,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new PromoRedemptionRepository(dataSource),
    },
    RedeemPromoCode,
    PromoCodeAdmin,
    PromoCodesResolver,
  ],
  exports: [RedeemPromoCode],
})
export class PromotionsModule {}
