import { Module } from '@nestjs/common';

/** Finance tools: adjustments (single and bulk CSV), refunds, transaction exports and statements. */
@Module({})
export class BillingAdminModule {}
