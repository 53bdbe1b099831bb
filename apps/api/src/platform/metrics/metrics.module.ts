import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AiCallMetrics } from './ai-call-metrics';
import { DatabaseFiguresCollector } from './database-figures.collector';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QueueFiguresCollector } from './queue-figures.collector';
import { RuntimeFiguresCollector } from './runtime-figures.collector';

@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [MetricsController],
  providers: [MetricsService, AiCallMetrics, DatabaseFiguresCollector, QueueFiguresCollector, RuntimeFiguresCollector],
  exports: [MetricsService, AiCallMetrics],
})
export class MetricsModule {}
