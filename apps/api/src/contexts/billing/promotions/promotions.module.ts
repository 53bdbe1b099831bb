import { Module } from '@nestjs/common';

/** Promo codes: created and deactivated by admins, redeemed once per user, never beyond their limit. */
@Module({})
export class PromotionsModule {}
