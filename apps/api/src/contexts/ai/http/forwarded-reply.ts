import { DomainError } from '@sah/domain';
import type { Request, Response } from 'express';
import type { Forwarded } from '../application/passthrough-gateway.service';
import { anthropicErrorBody, openAiErrorBody, toRestError } from './provider-error-body';
import { SseWriter } from './sse';

/**
 * Writes a passthrough reply: a JSON body as the provider sent it, or its events one by one as they
 * come. The writer's signal (client gone) is the call's, so leaving stops the upstream too.
 */
export async function sendForwarded(
  req: Request,
  res: Response,
  forward: (signal: AbortSignal) => Promise<Forwarded>,
  lateError: (error: unknown, req: Request) => string,
): Promise<void> {
  const sse = new SseWriter(res);
  const forwarded = await sse.call(forward);
  if (forwarded.kind === 'json') {
    sse.dispose();
    res.status(forwarded.status).setHeader('content-type', forwarded.contentType);
    res.end(forwarded.body);
    return;
  }
  sse.open();
  try {
    for await (const event of forwarded.events) {
      if (sse.signal.aborted) break;
      await sse.raw(event);
    }
  } catch (error) {
    // Headers are gone: the failure goes to the client as the provider's own error event.
    await sse.raw(lateError(error, req));
    req.log?.warn({ err: error }, 'forwarded stream failed after it started');
  } finally {
    sse.end();
  }
}

/** OpenAI streams report a late failure as a `data:` line with an error body. */
export function openAiLateError(error: unknown): string {
  return `data: ${JSON.stringify(openAiErrorBody(toRestError(error)))}`;
}

/** Anthropic streams report it as an `error` event. */
export function anthropicLateError(error: unknown, req: Request): string {
  return `event: error\ndata: ${JSON.stringify({ ...anthropicErrorBody(toRestError(error)), request_id: String(req.id) })}`;
}

/** The request body as a JSON object, or the provider's 400. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw DomainError.badInput('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The provider headers a client sent that shape the call upstream. */
export function providerHeaders(req: Request, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

/** Whether the translating path's parser accepts the body. */
export function translatable(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}
