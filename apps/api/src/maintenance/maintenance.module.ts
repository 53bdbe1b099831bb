import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { IdempotencyRecordRepository, QUEUES } from '@sah/infrastructure';
import { repositoryProvider } from '../platform/database/database.module';
import { MaintenanceProcessor } from './maintenance.processor';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { PurgeExpiredRowsHandler } from './purge-expired-rows.handler';
import { RetentionPurges } from './retention-purges';

/**
 * The `maintenance` queue. Every process can enqueue; only processes that run workers get the
 * processor and declare the schedule. Global so contexts can register their retention purges.
 */
@Module({})
export class MaintenanceModule {
  static register(options: { runWorkers: boolean }): DynamicModule {
    return {
      module: MaintenanceModule,
      global: true,
      imports: [BullModule.registerQueue({ name: QUEUES.maintenance })],
      providers: [
        repositoryProvider(IdempotencyRecordRepository, (dataSource) => new IdempotencyRecordRepository(dataSource)),
        RetentionPurges,
        PurgeExpiredRowsHandler,
        ...(options.runWorkers ? [MaintenanceProcessor, MaintenanceScheduler] : []),
      ],
      exports: [BullModule, RetentionPurges],
    };
  }
}
