import { Module } from '@nestjs/common';
import { LedgerReportsQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { LedgerModule } from '../ledger.module';
import { AdjustCredits } from './adjust-credits.handler';
import { AdjustmentLimits } from './adjustment-limits';
import { BulkAdjustments } from './bulk-adjustments.handler';
import { CreditAdjustmentsResolver } from './credit-adjustments.resolver';
import { CreditReportsController } from './credit-reports.controller';
import { CreditScope } from './credit-scope';
import { CreditStatements } from './credit-statements.handler';
import { CreditStatementsResolver } from './credit-statements.resolver';
import { LedgerPersonalData } from './ledger-personal-data';
import { RefundTransaction } from './refund-transaction.handler';

/** Finance tools: adjustments (single and bulk CSV), refunds, transaction exports and statements. */
@Module({
  imports: [LedgerModule],
  controllers: [CreditReportsController],
  providers: [
    { provide: LedgerReportsQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new LedgerReportsQuery(dataSource) },
    CreditScope,
    AdjustmentLimits,
    AdjustCredits,
    RefundTransaction,
    BulkAdjustments,
    CreditStatements,
    CreditAdjustmentsResolver,
    CreditStatementsResolver,
    LedgerPersonalData,
  ],
  exports: [CreditScope],
})
export class BillingAdminModule {}
