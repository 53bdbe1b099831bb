import { setImmediate } from 'node:timers/promises';
import type { AppConfig } from '../../config/app-config';
import type { MetricsService } from '../metrics/metrics.service';
import type { HealthReport } from './health-report';
import { HealthMonitor } from './health.monitor';
import type { HealthService } from './health.service';

const UP: HealthReport = { status: 'ok', checks: { database: 'up', redis: 'up' } };

describe('HealthMonitor.changes', () => {
  let monitor: HealthMonitor;

  beforeEach(async () => {
    const health = { check: () => Promise.resolve(UP) } as unknown as HealthService;
    const metrics = { setDependencyUp: () => undefined } as unknown as MetricsService;
    // One poll (at bootstrap); the next would come a minute later.
    monitor = new HealthMonitor(health, metrics, { health: { pollIntervalMs: 60_000 } } as AppConfig);
    monitor.onApplicationBootstrap();
    await setImmediate(); // the first poll's check resolves on the microtask queue
  });
  afterEach(() => monitor.onModuleDestroy());

  it('gives the current picture first', async () => {
    const changes = monitor.changes();
    expect(await changes.next()).toEqual({ value: UP, done: false });
    await changes.return?.();
  });
});
