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
 * Lines gather up to LOG_BUFFER_BYTES and go out together, and at least every LOG_FLUSH_MS: a line a
 * request wrote alone cost it a hand-off to libuv's thread pool and back (a write and three futex
 * calls, on the hub's own core). pino flushes what is pending when the process exits; a process killed
 * outright loses at most that buffer.
 */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 100;

/** One JSON line per event, ISO timestamps, level as a word, written asynchronously. */
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
    pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }),
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
