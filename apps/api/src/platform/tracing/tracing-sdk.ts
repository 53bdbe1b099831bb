import { Attributes, Context, Link, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  Sampler,
  SamplingDecision,
  SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { IncomingMessage } from 'node:http';
import { maskQuery, maskUrl } from '../logging/mask-url';
import type { TracingSettings } from './tracing-settings';

/** Query parameters that carry secrets (OAuth codes and state, reset tokens, provider keys, signatures). */
const SECRET_QUERY_PARAMS = ['code', 'state', 'token', 'access_token', 'refresh_token', 'key', 'api_key', 'sig', 'signature', 'Signature'];
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

/**
 * Starts the OpenTelemetry SDK. Loaded only when tracing is on, and before the instrumented packages
 * (express, graphql, pg, ioredis) are first required, or their hooks would miss them.
 *
 * What spans may hold: no request or response bodies (no instrumentation here records them), GraphQL
 * documents with literals replaced and no variables (allowValues off), SQL with `$n` placeholders but no
 * parameter values, Redis command names only, URLs with secret query parameters and session codes masked.
 */
export function startTracingSdk(settings: Required<TracingSettings>, service: string): NodeSDK {
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': `smart-ai-hub-${service}` }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` }))],
    // Traces only: metrics are Prometheus's (/metrics) and logs go to stdout; the SDK would otherwise push both over OTLP.
    metricReaders: [],
    logRecordProcessors: [],
    sampler: new ParentBasedSampler({ root: new WithoutHousekeeping(new TraceIdRatioBasedSampler(settings.sampleRatio)) }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(request.url ?? ''),
        redactedQueryParams: SECRET_QUERY_PARAMS,
        redactedQueryParamsServer: SECRET_QUERY_PARAMS,
        // `DELETE /api/v1/sessions/VERIFIED-…` carries a session code in its path. The query is masked as the
        // access log masks it, by decoded and lower-cased name (the list above is matched case-sensitively).
        startIncomingSpanHook: (request) => incomingUrlAttributes((request as IncomingMessage).url ?? ''),
      }),
      // The AI gateway and webhooks speak HTTP through undici and fetch: this span is what sends `traceparent`.
      new UndiciInstrumentation({
        startSpanHook: (request) => {
          const url = new URL(request.path, request.origin);
          return { 'url.full': `${url.origin}${url.pathname}`, 'url.query': url.search ? '[redacted]' : '' };
        },
      }),
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new GraphQLInstrumentation({ allowValues: false, ignoreTrivialResolveSpans: true, mergeItems: true }),
      // Background polling (outbox relay, health checks) outside any request would be a root span each time.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  sdk.start();
  return sdk;
}

/** `url.path` and `url.query` of a request's span, secrets masked (these attributes win over the instrumentation's). */
export function incomingUrlAttributes(url: string): Attributes {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return { 'url.path': maskUrl(url) };
  return { 'url.path': maskUrl(url.slice(0, queryAt)), 'url.query': maskQuery(url.slice(queryAt + 1).split('#')[0] ?? '') };
}

/**
 * BullMQ's own spans for a worker's housekeeping (waiting for the next job, stalled checks) start a
 * trace every few seconds with nothing in it worth keeping; jobs (`process <queue>`) and enqueues are kept.
 */
class WithoutHousekeeping implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(context: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const parent = trace.getSpanContext(context);
    if (!parent && kind === SpanKind.INTERNAL && BULLMQ_HOUSEKEEPING.test(name)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(context, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `WithoutHousekeeping{${this.inner.toString()}}`;
  }
}

const BULLMQ_HOUSEKEEPING = /^(getNextJob|rateLimit|pause|resume|close|startStalledCheckTimer|moveStalledJobsToWait)\b/;
