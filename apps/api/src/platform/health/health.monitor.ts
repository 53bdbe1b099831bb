import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { HealthReport, sameHealth } from './health-report';
import { HealthService } from './health.service';

const CHANGED = 'health.changed';

/**
 * Polls the dependencies in the background, keeps the `dependency_up` gauge current and tells
 * subscribers (GraphQL `healthChanged`) when the picture changes.
 */
@Injectable()
export class HealthMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly pubSub = new PubSub<{ [CHANGED]: HealthReport }>();
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

  changes(): AsyncIterableIterator<HealthReport> {
    return this.pubSub.asyncIterableIterator(CHANGED);
  }

  private async poll(): Promise<void> {
    const report = await this.health.check();
    this.metrics.setDependencyUp('database', report.checks.database === 'up');
    this.metrics.setDependencyUp('redis', report.checks.redis === 'up');
    if (this.last && !sameHealth(this.last, report)) await this.pubSub.publish(CHANGED, report);
    this.last = report;
    // A chain of timeouts rather than an interval: a slow check never overlaps the next one.
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.config.health.pollIntervalMs).unref();
  }
}
