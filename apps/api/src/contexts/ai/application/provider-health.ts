import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitState, PROVIDERS, ProviderName } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { AiCallMetrics } from '../../../platform/metrics/ai-call-metrics';

const WINDOW = 200;

export interface ProviderHealthReport {
  provider: ProviderName;
  circuit: CircuitState;
  consecutiveFailures: number;
  /** Over the last calls of this process. */
  calls: number;
  errorRate: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

/** Per provider, in this process: the circuit breaker and the recent calls' outcomes. */
@Injectable()
export class ProviderHealth {
  private readonly breakers = new Map<ProviderName, CircuitBreaker>();
  private readonly recent = new Map<ProviderName, Array<{ ok: boolean; latencyMs: number }>>();

  constructor(
    config: AppConfig,
    private readonly metrics: AiCallMetrics,
  ) {
    for (const provider of PROVIDERS) {
      this.breakers.set(
        provider,
        new CircuitBreaker({ failureThreshold: config.ai.circuitFailureThreshold, openMs: config.ai.circuitOpenMs }),
      );
    }
  }

  breaker(provider: ProviderName): CircuitBreaker {
    return this.breakers.get(provider) as CircuitBreaker;
  }

  record(provider: ProviderName, ok: boolean, latencyMs: number): void {
    const calls = this.recent.get(provider) ?? [];
    calls.push({ ok, latencyMs });
    if (calls.length > WINDOW) calls.shift();
    this.recent.set(provider, calls);
    this.metrics.observeProviderAttempt(provider, ok, latencyMs);
  }

  report(now = Date.now()): ProviderHealthReport[] {
    return PROVIDERS.map((provider) => {
      const calls = this.recent.get(provider) ?? [];
      const latencies = calls.filter((c) => c.ok).map((c) => c.latencyMs).sort((a, b) => a - b);
      const at = (q: number) => (latencies.length ? (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null) : null);
      const breaker = this.breaker(provider);
      return {
        provider,
        circuit: breaker.stateAt(now),
        consecutiveFailures: breaker.consecutiveFailures,
        calls: calls.length,
        errorRate: calls.length ? calls.filter((c) => !c.ok).length / calls.length : 0,
        p50LatencyMs: at(0.5),
        p95LatencyMs: at(0.95),
      };
    });
  }
}
