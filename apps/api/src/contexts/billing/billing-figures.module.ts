import { Module } from '@nestjs/common';
import { CreditFiguresQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { BillingAdminModule } from './admin/billing-admin.module';
import { CreditViews } from './application/credit-views.service';
import { LedgerModule } from './ledger.module';

/**
 * Billing's read side for reports: the business figures of the ledger and payments (daily series
 * kept in a rollup, revenue by package, large transactions), and a caller's own account views.
 */
@Module({
  imports: [LedgerModule, BillingAdminModule],
  providers: [
    { provide: CreditFiguresQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new CreditFiguresQuery(dataSource) },
    CreditViews,
  ],
  exports: [CreditFiguresQuery, CreditViews],
})
export class BillingFiguresModule {}
