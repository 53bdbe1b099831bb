import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import { AppConfig } from '../../config/app-config';
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

  /**
   * The picture as it is (once the first poll has one), then each change: a subscriber needs no
   * separate query, and knows from the first event that it is listening.
   */
  async *changes(): AsyncGenerator<HealthReport> {
    const updates = this.pubSub.asyncIterableIterator(CHANGED);
    // The first next() subscribes at once (synchronously), so no change after `last` is read is missed.
    const first = updates.next();
    try {
      if (this.last) yield this.last;
      for (let next = await first; next.done !== true; next = await updates.next()) yield next.value as HealthReport;
    } finally {
      await updates.return?.();
    }
  }

  private async poll(): Promise<void> {
    const report = await this.health.check();
    this.metrics.setDependencyUp('database', report.checks.database === 'up');
    this.metrics.setDependencyUp('redis', report.checks.redis === 'up');
    const changed = this.last !== undefined && !sameHealth(this.last, report);
    // `last` first: a subscriber starting in between then reads the new picture rather than missing it.
    this.last = report;
    if (changed) await this.pubSub.publish(CHANGED, report);
    // A chain of timeouts rather than an interval: a slow check never overlaps the next one.
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.config.health.pollIntervalMs).unref();
  }
}
