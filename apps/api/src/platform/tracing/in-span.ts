import { Attributes, SpanStatusCode, trace } from '@opentelemetry/api';

/** The API's tracer; without the SDK loaded (tracing off) it is the API's no-op tracer. */
const tracer = trace.getTracer('smart-ai-hub');

/**
 * Runs `work` inside its own active span, so the database and HTTP spans it causes nest under it.
 * A thrown error marks the span failed with its code or class name only: messages may quote input.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'Error';
}
