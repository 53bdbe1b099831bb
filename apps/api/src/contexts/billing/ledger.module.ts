import { Module } from '@nestjs/common';
import { LedgerQuery, LedgerRepository, TeamWalletRepository } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { BalanceChanges } from './application/balance-changes';
import { BudgetClock } from './application/budget-clock';
import { LedgerService } from './application/ledger.service';

/** The credit ledger itself; every part of billing that moves credits imports this. */
@Module({
  providers: [
    {
      provide: LedgerRepository,
      inject: [DataSource, AppConfig],
      useFactory: (dataSource: DataSource, config: AppConfig) => new LedgerRepository(dataSource, config.billing.lowBalanceThreshold),
    },
    { provide: LedgerQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new LedgerQuery(dataSource) },
    {
      provide: TeamWalletRepository,
      inject: [DataSource, AppConfig],
      useFactory: (dataSource: DataSource, config: AppConfig) => new TeamWalletRepository(dataSource, config.billing.lowBalanceThreshold),
    },
    BalanceChanges,
    BudgetClock,
    LedgerService,
  ],
  exports: [LedgerService, LedgerQuery, LedgerRepository, BalanceChanges, BudgetClock, TeamWalletRepository],
})
export class LedgerModule {}
