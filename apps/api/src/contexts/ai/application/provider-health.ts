import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitState, PROVIDERS, ProviderName } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { AiCallMetrics } from '../../../platform/metrics/ai-call-metrics';

const WINDOW = 200;
/**
 * `latency` routing reads only the last minute's calls: a channel that lost the race gets no calls,
 * so its figures would never change; after a quiet minute it counts as unmeasured, and its next call
 * (it goes first) measures it again.
 */
const ROUTING_WINDOW_MS = 60_000;

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

export type ChannelHealthReport = Omit<ProviderHealthReport, 'provider'>;

/**
 * Per channel, in this process: the circuit breaker and the recent calls' outcomes. Channels go by
 * their `channelKey`, so a provider's figures are those of its configured channel.
 */
@Injectable()
export class ProviderHealth {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly recent = new Map<string, Array<{ ok: boolean; latencyMs: number; at: number }>>();

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: AiCallMetrics,
  ) {}

  breaker(channel: string): CircuitBreaker {
    let breaker = this.breakers.get(channel);
    if (!breaker) {
      breaker = new CircuitBreaker({ failureThreshold: this.config.ai.circuitFailureThreshold, openMs: this.config.ai.circuitOpenMs });
      this.breakers.set(channel, breaker);
    }
    return breaker;
  }

  record(channel: string, protocol: ProviderName, ok: boolean, latencyMs: number, at = Date.now()): void {
    const calls = this.recent.get(channel) ?? [];
    calls.push({ ok, latencyMs, at });
    if (calls.length > WINDOW) calls.shift();
    this.recent.set(channel, calls);
    this.metrics.observeProviderAttempt(protocol, ok, latencyMs);
  }

  /** Each provider as its configured channel saw it. */
  report(now = Date.now()): ProviderHealthReport[] {
    return PROVIDERS.map((provider) => ({ provider, ...this.channelReport(provider, now) }));
  }

  /** The median latency of the channel's successful calls in the last minute, for `latency` routing; null: none. */
  routingLatencyMs(channel: string, now = Date.now()): number | null {
    const calls = (this.recent.get(channel) ?? []).filter((c) => c.at > now - ROUTING_WINDOW_MS);
    return quantile(calls, 0.5);
  }

  channelReport(channel: string, now = Date.now()): ChannelHealthReport {
    const calls = this.recent.get(channel) ?? [];
    const breaker = this.breaker(channel);
    return {
      circuit: breaker.stateAt(now),
      consecutiveFailures: breaker.consecutiveFailures,
      calls: calls.length,
      errorRate: calls.length ? calls.filter((c) => !c.ok).length / calls.length : 0,
      p50LatencyMs: quantile(calls, 0.5),
      p95LatencyMs: quantile(calls, 0.95),
    };
  }
}

function quantile(calls: ReadonlyArray<{ ok: boolean; latencyMs: number }>, q: number): number | null {
  const latencies = calls.filter((c) => c.ok).map((c) => c.latencyMs).sort((a, b) => a - b);
  return latencies.length ? (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null) : null;
}
