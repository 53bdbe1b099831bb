import type { NodeSDK } from '@opentelemetry/sdk-node';
import { BullMQOtel } from 'bullmq-otel';
import { ConfigError } from '../../config/config-error';
import { readTracingSettings } from './tracing-settings';

let sdk: NodeSDK | undefined;

/**
 * Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set; called by the one-line `start-*-tracing`
 * modules, the first import of each entry point. Without an endpoint the SDK is never loaded: tracing
 * off costs nothing but the log mixin's look-up of an active span (there is none).
 */
export function startTracing(service: 'api' | 'worker'): void {
  let settings;
  try {
    settings = readTracingSettings(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (!settings.endpoint || process.argv.includes('--check-config')) return;
  // Required here, not imported at the top: that is what keeps the SDK unloaded when tracing is off.
  const { startTracingSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = startTracingSdk({ endpoint: settings.endpoint, sampleRatio: settings.sampleRatio }, service);
}

/** Sends the spans still buffered; part of a graceful shutdown. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}

/**
 * BullMQ's telemetry option for queues and workers when tracing is on: enqueueing opens an `add <queue>`
 * producer span and stores its context in the job, so the worker's `process <queue>` span continues the
 * trace of the request that created the job.
 */
export function queueTelemetry(): { telemetry?: BullMQOtel } {
  return sdk ? { telemetry: new BullMQOtel('smart-ai-hub') } : {};
}
