import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthReport } from './health-report';
import { HealthService } from './health.service';
import { Public, SkipRateLimit } from '../auth/auth.decorators';

/** Liveness and readiness in one: 503 names the dependency that is down. Not wrapped in `data`. */
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.check();
    if (report.status !== 'ok') res.status(503);
    return report;
  }
}
