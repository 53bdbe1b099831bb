import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A provider endpoint that answers exactly what the test scripted, in the provider's wire format,
 * and keeps every request byte for byte: for passthrough tests, where the hub must neither add nor
 * drop anything. Replies are taken in order; each is a JSON body or a list of SSE events.
 */
export type WireReply =
  | { status?: number; json: unknown | ((body: Record<string, unknown>) => unknown | Promise<unknown>) }
  | { events: Array<{ event?: string; data: unknown }>; pieceDelayMs?: number };

export interface WireRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: string;
  body: Record<string, unknown>;
  /** The client went away before the reply was complete. */
  aborted: boolean;
}

export class FakeWireUpstream {
  readonly requests: WireRequest[] = [];
  url = '';
  private readonly replies: WireReply[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const record: WireRequest = {
        method: req.method ?? '',
        path: new URL(req.url ?? '/', 'http://fake').pathname,
        headers: req.headers,
        raw,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
        aborted: false,
      };
      this.requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.aborted = true;
      });
      void this.answer(res, record);
    });
  });

  /** `basePath`: what the SDK's base URL carries (`/v1` for OpenAI, nothing for Anthropic). */
  constructor(private readonly basePath: '/v1' | '') {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.basePath}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.requests.length = 0;
    this.replies.length = 0;
  }

  /** The next request gets this reply. */
  then(reply: WireReply): this {
    this.replies.push(reply);
    return this;
  }

  private async answer(res: ServerResponse, record: WireRequest): Promise<void> {
    const reply = this.replies.shift();
    if (!reply) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no reply scripted', type: 'server_error' } }));
      return;
    }
    if ('json' in reply) {
      const json = typeof reply.json === 'function' ? await reply.json(record.body) : reply.json;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', 'request-id': 'req_fake', 'x-request-id': 'req_fake' }).end(JSON.stringify(json));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const { event, data } of reply.events) {
      if (reply.pieceDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.pieceDelayMs));
      if (res.destroyed) return;
      res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    }
    res.end();
  }
}

/** An OpenAI `chat.completion.chunk` with one choice's delta. */
export function openAiChunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) {
  return { id: 'chatcmpl-wire', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra };
}

/** The last chunk of a stream asked for with `include_usage`. */
export function openAiUsageChunk(prompt: number, completion: number, cached = 0) {
  return {
    id: 'chatcmpl-wire',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4o',
    choices: [],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } },
  };
}

export function openAiCompletion(message: Record<string, unknown>, finish: string, prompt: number, completion: number, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-wire',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message }, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    ...extra,
  };
}

export function anthropicMessage(content: unknown[], stopReason: string, input: number, output: number, extra: Record<string, unknown> = {}) {
  return {
    id: 'msg_wire',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: input, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    ...extra,
  };
}

/** Anthropic's event sequence around the given content-block events. */
export function anthropicStream(blocks: Array<{ event?: string; data: unknown }>, stopReason: string, usage: { input: number; output: number; cacheRead?: number }) {
  const start = {
    type: 'message_start',
    message: {
      ...anthropicMessage([], stopReason, usage.input, 1),
      stop_reason: null,
      usage: { input_tokens: usage.input, output_tokens: 1, cache_read_input_tokens: usage.cacheRead ?? 0, cache_creation_input_tokens: 0 },
    },
  };
  return [
    { event: 'message_start', data: start },
    ...blocks,
    { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output } } },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}
