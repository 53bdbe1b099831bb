import { Module } from '@nestjs/common';
import { ApiKeySpendQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { LedgerModule } from '../ledger.module';
import { ApiKeySpendResolver } from './api-key-spend.resolver';

/** Spending budgets seen from outside the ledger: month-to-date figures. */
@Module({
  imports: [LedgerModule],
  providers: [
    { provide: ApiKeySpendQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new ApiKeySpendQuery(dataSource) },
    ApiKeySpendResolver,
  ],
})
export class BudgetsModule {}
