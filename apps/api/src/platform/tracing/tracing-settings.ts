import { ConfigError } from '../../config/config-error';
import { Env, raw, readUrl } from '../../config/env-readers';

/** Tracing is on only with an OTLP endpoint; without one no OpenTelemetry SDK code is even loaded. */
export interface TracingSettings {
  /** OTLP/HTTP base URL; spans go to `<endpoint>/v1/traces`. */
  readonly endpoint?: string;
  /** Share of new traces kept (parent-based: a sampled caller's trace is always continued). */
  readonly sampleRatio: number;
}

/** The spec keeps 10 % of traces in production; elsewhere every trace helps debugging. */
const DEFAULT_RATIO = { production: 0.1, other: 1 };

/**
 * Read by the tracing bootstrap before anything else loads, and again by `parseEnvironment` so
 * `--check-config` and the start-up line report a bad value like any other setting.
 */
export function readTracingSettings(env: Env): TracingSettings {
  const endpoint = readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:'])?.replace(/\/+$/, '');
  const ratioText = raw(env, 'OTEL_TRACES_SAMPLER_ARG');
  const sampleRatio = ratioText === undefined ? DEFAULT_RATIO[env.NODE_ENV === 'production' ? 'production' : 'other'] : Number(ratioText);
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(ratioText ?? '1') || !(sampleRatio >= 0 && sampleRatio <= 1)) {
    throw new ConfigError('OTEL_TRACES_SAMPLER_ARG', 'expected a ratio from 0 to 1, such as 0.1', ratioText);
  }
  return { endpoint, sampleRatio };
}
