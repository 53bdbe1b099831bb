import { Injectable } from '@nestjs/common';
import type { UsageRecord } from '@sah/infrastructure';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from './metrics.service';

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

/**
 * AI traffic, counted as each call's usage row is written. Every AI call runs in an API process (the
 * gateway's HTTP, WebSocket and MCP endpoints), so the API's `/metrics` sees all of them. Labels are
 * bounded: models come from the admin's catalog, providers and endpoints are fixed lists, error codes
 * are the app's own codes; never a user, key or prompt.
 */
@Injectable()
export class AiCallMetrics {
  private readonly requests: Counter<'endpoint' | 'model' | 'provider' | 'status'>;
  private readonly tokens: Counter<'model' | 'provider' | 'direction'>;
  private readonly credits: Counter<'model' | 'provider'>;
  private readonly errors: Counter<'endpoint' | 'model' | 'provider' | 'code'>;
  private readonly duration: Histogram<'provider' | 'stream'>;
  private readonly firstToken: Histogram<'provider'>;
  private readonly providerAttempt: Histogram<'provider' | 'outcome'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.requests = new Counter({
      name: 'sah_ai_requests_total',
      help: 'AI calls by endpoint (channel), model, provider and outcome (ok, error, aborted)',
      labelNames: ['endpoint', 'model', 'provider', 'status'],
      registers,
    });
    this.tokens = new Counter({
      name: 'sah_ai_tokens_total',
      help: 'Tokens metered on AI calls by model, provider and direction (input, output)',
      labelNames: ['model', 'provider', 'direction'],
      registers,
    });
    this.credits = new Counter({
      name: 'sah_ai_credits_total',
      help: 'Credits charged for AI calls by model and provider',
      labelNames: ['model', 'provider'],
      registers,
    });
    this.errors = new Counter({
      name: 'sah_ai_errors_total',
      help: 'Failed AI calls by endpoint, model, provider and error code',
      labelNames: ['endpoint', 'model', 'provider', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'sah_ai_request_duration_seconds',
      help: 'Whole AI call as the client sees it (gateway and provider), by provider and streaming',
      labelNames: ['provider', 'stream'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.firstToken = new Histogram({
      name: 'sah_ai_time_to_first_token_seconds',
      help: 'Time from the request to the first streamed token, by provider',
      labelNames: ['provider'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.providerAttempt = new Histogram({
      name: 'sah_ai_provider_attempt_duration_seconds',
      help: 'One attempt at an AI provider (a retry or fallback is another), by provider and outcome',
      labelNames: ['provider', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  /**
   * One attempt at a provider, from sending the request to its answer (for a stream, to the response
   * starting). With sah_ai_request_duration_seconds it bounds what the hub itself adds to a call.
   */
  observeProviderAttempt(provider: string, ok: boolean, latencyMs: number): void {
    this.providerAttempt.observe({ provider, outcome: ok ? 'ok' : 'error' }, latencyMs / 1000);
  }

  record(usage: UsageRecord): void {
    const { endpoint, model, provider, status } = usage;
    this.requests.inc({ endpoint, model, provider, status });
    this.tokens.inc({ model, provider, direction: 'input' }, usage.inputTokens);
    this.tokens.inc({ model, provider, direction: 'output' }, usage.outputTokens);
    // Milli-credits are exact integers; a float of credits is exact enough for a rate on a dashboard.
    this.credits.inc({ model, provider }, Number(usage.creditsMillis) / 1000);
    if (status === 'error') this.errors.inc({ endpoint, model, provider, code: usage.errorCode ?? 'UNKNOWN' });
    this.duration.observe({ provider, stream: String(usage.stream) }, usage.latencyMs / 1000);
    if (usage.ttftMs !== null) this.firstToken.observe({ provider }, usage.ttftMs / 1000);
  }
}
