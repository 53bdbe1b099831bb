import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { LocalTopics } from '../events/local-topics';
import { MetricsService } from '../metrics/metrics.service';
import { HealthReport, sameHealth } from './health-report';
import { HealthService } from './health.service';

const CHANGED = 'health.changed';

/**
 * Polls the dependencies in the background, keeps the `dependency_up` gauge current and tells
 * subscribers (GraphQL `healthChanged`) the picture, then each change of it.
 */
@Injectable()
export class HealthMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly changeEvents = new LocalTopics<HealthReport>();
  private last: HealthReport | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.poll();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * The picture as it is (once the first poll has one), then each change: a subscriber needs no
   * separate query, and knows from the first event that it is listening.
   */
  changes(): AsyncIterableIterator<HealthReport> {
    return this.changeEvents.listen(CHANGED, this.last);
  }

  private async poll(): Promise<void> {
    const report = await this.health.check();
    this.metrics.setDependencyUp('database', report.checks.database === 'up');
    this.metrics.setDependencyUp('redis', report.checks.redis === 'up');
    const changed = this.last !== undefined && !sameHealth(this.last, report);
    this.last = report;
    if (changed) this.changeEvents.publish(CHANGED, report);
    // A chain of timeouts rather than an interval: a slow check never overlaps the next one.
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.config.health.pollIntervalMs).unref();
  }
}
