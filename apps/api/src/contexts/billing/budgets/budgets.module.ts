import { Module } from '@nestjs/common';
import { ApiKeySpendQuery, BudgetAlertStore } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { LedgerModule } from '../ledger.module';
import { ApiKeyBudgetAlerts } from './api-key-budget-alerts';
import { ApiKeySpendResolver } from './api-key-spend.resolver';
import { BudgetAlertMails } from './budget-alert-mails';
import { BudgetAlerts } from './budget-alerts.service';
import { TeamBudgetAlerts } from './team-budget-alerts';

/**
 * Spending budgets seen from outside the ledger: month-to-date figures and threshold alerts (API keys'
 * monthly budgets, team wallets' monthly caps). Other budgets (members') raise theirs through the
 * exported `BudgetAlerts.check`.
 */
@Module({
  imports: [LedgerModule],
  providers: [
    { provide: ApiKeySpendQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new ApiKeySpendQuery(dataSource) },
    { provide: BudgetAlertStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new BudgetAlertStore(dataSource) },
    ApiKeySpendResolver,
    BudgetAlerts,
    ApiKeyBudgetAlerts,
    TeamBudgetAlerts,
    BudgetAlertMails,
  ],
  exports: [BudgetAlerts],
})
export class BudgetsModule {}
