import { Module } from '@nestjs/common';
import { ApiKeySpendQuery, BudgetAlertStore } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { LedgerModule } from '../ledger.module';
import { ApiKeyBudgetAlerts } from './api-key-budget-alerts';
import { ApiKeySpendResolver } from './api-key-spend.resolver';
import { BudgetAlertMails } from './budget-alert-mails';
import { BudgetAlerts } from './budget-alerts.service';

/**
 * Spending budgets seen from outside the ledger: month-to-date figures and threshold alerts. Other
 * budgets (team wallets, members) raise their alerts through the exported `BudgetAlerts.check`.
 */
@Module({
  imports: [LedgerModule],
  providers: [
    { provide: ApiKeySpendQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new ApiKeySpendQuery(dataSource) },
    { provide: BudgetAlertStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new BudgetAlertStore(dataSource) },
    ApiKeySpendResolver,
    BudgetAlerts,
    ApiKeyBudgetAlerts,
    BudgetAlertMails,
  ],
  exports: [BudgetAlerts],
})
export class BudgetsModule {}
