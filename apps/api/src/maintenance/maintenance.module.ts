import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { IdempotencyRecordRepository, QUEUES, StripeEventLog, UsageRetentionRepository } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { MaintenanceProcessor } from './maintenance.processor';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { PurgeExpiredRowsHandler } from './purge-expired-rows.handler';
import { QueueErrorListener } from './queue-error-listener';

/**
 * The `maintenance` queue. Every process can enqueue; only processes that run workers get the
 * processor and declare the schedule.
 */
@Module({})
export class MaintenanceModule {
  static register(options: { runWorkers: boolean }): DynamicModule {
    return {
      module: MaintenanceModule,
      imports: [BullModule.registerQueue({ name: QUEUES.maintenance })],
      providers: [
        {
          provide: IdempotencyRecordRepository,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new IdempotencyRecordRepository(dataSource),
        },
        { provide: UsageRetentionRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new UsageRetentionRepository(dataSource) },
        { provide: StripeEventLog, inject: [DataSource], useFactory: (dataSource: DataSource) => new StripeEventLog(dataSource) },
        PurgeExpiredRowsHandler,
        QueueErrorListener,
        ...(options.runWorkers ? [MaintenanceProcessor, MaintenanceScheduler] : []),
      ],
      exports: [BullModule],
    };
  }
}
