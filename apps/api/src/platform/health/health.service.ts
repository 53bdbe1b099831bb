import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { DependencyState, HealthReport } from './health-report';

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const timeout = this.config.health.checkTimeoutMs;
    const [database, redis] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1'), timeout),
      probe(() => this.redis.ping(), timeout),
    ]);
    return { status: database === 'up' && redis === 'up' ? 'ok' : 'error', checks: { database, redis } };
  }
}

/** A dependency is up when it answers within the timeout; a hung connection counts as down. */
async function probe(call: () => Promise<unknown>, timeoutMs: number): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<DependencyState>((resolve) => {
    timer = setTimeout(() => resolve('down'), timeoutMs);
  });
  try {
    return await Promise.race([call().then((): DependencyState => 'up'), timedOut]);
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
