import { trace } from '@opentelemetry/api';
import pino, { Logger } from 'pino';
import type { LogLevel } from '../../config/app-config';

/** Headers and fields that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-goog-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
];

/**
 * One JSON line per event, ISO timestamps, level as a word. Written asynchronously: lines that pile
 * up while a write is in flight go out in one syscall, so the access log costs little under load
 * (pino flushes what is pending when the process exits).
 */
export function createLogger(level: LogLevel, service: 'api' | 'worker' | 'migrate' | 'ledger-verify' | 'keys-rotate'): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: traceIds,
    },
    pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * Every line written inside a traced request or job names its trace and span, so a log line leads to
 * its trace. With tracing off there is never an active span and lines stay as they were.
 */
function traceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
