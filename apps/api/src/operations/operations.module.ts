import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QUEUES } from '@sah/infrastructure';
import { DailySummaryHandler } from './daily-summary.handler';
import { DailySummaryQuery } from './daily-summary.query';
import { OperationsProcessor } from './operations.processor';
import { OperationsScheduler } from './operations.scheduler';

/**
 * Reports for the people running the hub: the daily summary mail. The mail's renderer is registered
 * in every process (whichever runs the mail queue renders it); the job and its schedule only where
 * workers run.
 */
@Module({})
export class OperationsModule {
  static register(options: { runWorkers: boolean }): DynamicModule {
    return {
      module: OperationsModule,
      imports: [DiscoveryModule, BullModule.registerQueue({ name: QUEUES.operations })],
      providers: [DailySummaryQuery, DailySummaryHandler, ...(options.runWorkers ? [OperationsProcessor, OperationsScheduler] : [])],
    };
  }
}
