import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { MetricsService } from './metrics.service';
import { Public, SkipRateLimit } from '../auth/auth.decorators';
import { MetricsAccessGuard } from './metrics-access.guard';

/** Public to the user sign-in; its own token guards it (MetricsAccessGuard). */
@Public()
@SkipRateLimit()
@UseGuards(MetricsAccessGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
