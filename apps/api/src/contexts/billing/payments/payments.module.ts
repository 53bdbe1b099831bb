import { Module } from '@nestjs/common';

/** Stripe top-ups: credit packages, Checkout Sessions, the signed webhook, payments and receipts. */
@Module({})
export class PaymentsModule {}
