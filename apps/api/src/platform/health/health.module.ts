import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthMonitor } from './health.monitor';
import { HealthService } from './health.service';

@Module({
  controllers: [HealthController],
  providers: [HealthService, HealthMonitor],
  exports: [HealthService, HealthMonitor],
})
export class HealthModule {}
