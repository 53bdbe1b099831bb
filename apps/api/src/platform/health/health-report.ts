export type DependencyState = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'error';
  checks: { database: DependencyState; redis: DependencyState };
}

export function sameHealth(a: HealthReport, b: HealthReport): boolean {
  return a.checks.database === b.checks.database && a.checks.redis === b.checks.redis;
}
