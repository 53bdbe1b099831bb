import { Query, Resolver, Subscription } from '@nestjs/graphql';
import { AppConfig } from '../../config/app-config';
import { HealthReport } from '../../platform/health/health-report';
import { HealthMonitor } from '../../platform/health/health.monitor';
import { HealthService } from '../../platform/health/health.service';
import { HealthObject } from './health.object';
import { Public } from '../../platform/auth/auth.decorators';

@Public()
@Resolver()
export class SystemResolver {
  constructor(
    private readonly config: AppConfig,
    private readonly healthService: HealthService,
    private readonly monitor: HealthMonitor,
  ) {}

  @Query(() => String, { description: 'The running API version' })
  version(): string {
    return this.config.version;
  }

  @Query(() => HealthObject)
  health(): Promise<HealthReport> {
    return this.healthService.check();
  }

  @Subscription(() => HealthObject, {
    description: 'Emits the current health at once, then whenever a dependency goes down or comes back',
    resolve: (report: HealthReport) => report,
  })
  healthChanged(): AsyncIterableIterator<HealthReport> {
    return this.monitor.changes();
  }
}
