import { AppConfig } from '../../../config/app-config';
import { AiCallMetrics } from '../../../platform/metrics/ai-call-metrics';
import { ProviderHealth } from './provider-health';

const config = { ai: { circuitFailureThreshold: 5, circuitOpenMs: 1000 } } as unknown as AppConfig;
const metrics = { observeProviderAttempt: () => undefined } as unknown as AiCallMetrics;

describe('ProviderHealth', () => {
  const t0 = Date.UTC(2026, 11, 6, 12);

  it('routes by the last minute’s successful calls, so a channel left alone is measured again', () => {
    const health = new ProviderHealth(config, metrics);
    for (const latency of [400, 420, 410]) health.record('slow', 'openai', true, latency, t0);
    health.record('slow', 'openai', false, 5, t0);

    expect(health.routingLatencyMs('slow', t0 + 1_000)).toBe(410);
    // A minute without calls: no figure, so `latency` routing sends it the next call to measure it.
    expect(health.routingLatencyMs('slow', t0 + 60_000)).toBeNull();
    // That call alone is its figure now, whatever the older ones were.
    health.record('slow', 'openai', true, 12, t0 + 61_000);
    expect(health.routingLatencyMs('slow', t0 + 61_500)).toBe(12);
    expect(health.routingLatencyMs('never-called', t0)).toBeNull();
  });

  it('reports the last 200 calls, older than a minute included', () => {
    const health = new ProviderHealth(config, metrics);
    for (let n = 1; n <= 201; n++) health.record('ch', 'openai', n % 10 !== 0, n, t0 - 3_600_000);

    const report = health.channelReport('ch', t0);
    expect(report).toMatchObject({ calls: 200, circuit: 'closed' });
    expect(report.errorRate).toBeCloseTo(20 / 200);
    // The first call (1 ms) has left the window; of the 180 successes 2..201, the median and p95.
    expect(report.p50LatencyMs).toBe(102);
    expect(report.p95LatencyMs).toBe(192);
  });
});
