import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the fake OpenAI, Anthropic and Gemini servers share: recording, per-test scripting of replies and
 * failures, abort detection and SSE writing. Each provider's file only speaks its wire format.
 */

export type JsonObject = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, `?` included (`?alt=sse`), or empty. */
  search: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; null for GET or a body that is not a JSON object. */
  body: JsonObject | null;
  /** The key the request carried (Bearer; for Anthropic also `x-api-key`). */
  apiKey: string | null;
  /** The id the fake answered with (`x-request-id` / `request-id` header). */
  requestId: string;
  /** The HTTP status the fake answered with (0 until it answered). */
  status: number;
  /** `Date.now()` when it arrived, so tests can check back-off gaps (`Retry-After`). */
  at: number;
  /** Content pieces streamed so far: what the client can have received before an abort or cut. */
  piecesSent: number;
  /** The client closed the connection before the response was complete. */
  aborted: boolean;
}

export interface ReplyScript {
  /** Only requests for this model get this reply; without it, the default for every model. */
  model?: string;
  text?: string;
  /** Streamed pieces; defaults to one per word. Also the output token count unless overridden. */
  pieces?: number;
  /** Fixed usage instead of the derived counts (see `promptTokens`); `cached` of the input read from a cache (Gemini). */
  usage?: { input?: number; output?: number; cached?: number };
  /** Provider-native stop reason (`stop`, `length`, `end_turn`, `stop_sequence`, …). */
  stopReason?: string;
  /** Anthropic's `stop_sequence` when the stop reason is `stop_sequence`. */
  stopSequence?: string;
  pieceDelayMs?: number;
  /** Wait this long before the status line is sent, for timeout tests. */
  firstByteDelayMs?: number;
  /** A stream breaks off (connection closed) after this many pieces: an upstream failure mid-stream. */
  cutAfterPieces?: number;
}

export interface FailureSpec {
  status: number;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
  /** The provider's error type; a sensible one for the status otherwise. */
  type?: string;
  message?: string;
  /** OpenAI's `error.code`. */
  code?: string | null;
  /** Only requests for this model fail (e.g. the primary fails, its fallback answers). */
  model?: string;
  /** Only requests carrying this key fail (key rotation and cool-down tests). */
  apiKey?: string;
}

export interface ReplyPlan {
  text: string;
  pieces: string[];
  inputTokens: number;
  outputTokens: number;
  /** The request's max tokens cut the reply short (`length` / `max_tokens`). */
  truncated: boolean;
  script: ReplyScript;
}

interface FailureRule {
  spec: FailureSpec;
  remaining: number;
}

/** Responses the fake broke off on purpose; their 'close' is not a client abort. */
const cutResponses = new WeakSet<ServerResponse>();

/** Break a stream off mid-way, as an upstream crash would. */
export function cut(res: ServerResponse): void {
  cutResponses.add(res);
  // Ending the socket (not destroying it) lets what was written reach the client first; the
  // chunked body then stops without its terminator, which clients report as a broken stream.
  res.socket?.end();
}

export abstract class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  /** Base URL for the provider's SDK (`baseURL`). */
  url = '';
  private failures: FailureRule[] = [];
  private readonly replies = new Map<string, ReplyScript>();
  private readonly server: Server = createServer((req, res) => this.receive(req, res));

  protected abstract readonly providerName: string;
  /** The URL path the SDK's base URL carries (`/v1` for OpenAI, nothing for Anthropic). */
  protected abstract readonly basePath: string;
  /** The response header that carries the provider's request id (the SDKs expose it). */
  protected abstract readonly requestIdHeader: string;
  protected abstract apiKeyOf(headers: IncomingHttpHeaders): string | null;
  /** The request's output cap (`max_tokens`, `max_completion_tokens`), if any. */
  protected abstract maxTokensOf(body: JsonObject): number | undefined;
  protected abstract route(res: ServerResponse, record: RecordedRequest): Promise<void>;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.basePath}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Forget requests and all scripting: back to the default reply, no failures. */
  reset(): void {
    this.requests.length = 0;
    this.failures = [];
    this.replies.clear();
  }

  /** Script the reply for every model, or for `script.model` only (replaces the previous one). */
  reply(script: ReplyScript): void {
    planText(script, this.providerName); // refuse an impossible script here, not inside a request
    this.replies.set(script.model ?? '*', script);
  }

  /** The next `count` matching requests fail with this error. */
  failNext(count: number, spec: FailureSpec): void {
    this.failures.push({ spec, remaining: count });
  }

  /** Every matching request fails until `clearFailures()`. */
  failAlways(spec: FailureSpec): void {
    this.failures.push({ spec, remaining: Number.POSITIVE_INFINITY });
  }

  clearFailures(): void {
    this.failures = [];
  }

  /** Prompt tokens as this fake counts them (see `promptTokens`). */
  promptTokensFor(body: JsonObject): number {
    return promptTokens(body);
  }

  /** What the fake will answer to this request body: text, pieces and usage. */
  plan(body: JsonObject): ReplyPlan {
    const model = typeof body['model'] === 'string' ? body['model'] : '';
    const script = this.replies.get(model) ?? this.replies.get('*') ?? {};
    const planned = planText(script, this.providerName);
    const max = this.maxTokensOf(body);
    const truncated = max !== undefined && max < planned.pieces.length;
    const pieces = truncated ? planned.pieces.slice(0, max) : planned.pieces;
    return {
      text: pieces.join(''),
      pieces,
      inputTokens: script.usage?.input ?? promptTokens(body),
      outputTokens: script.usage?.output ?? pieces.length,
      truncated,
      script,
    };
  }

  /** The model a request asks for (in the body; Gemini names it in the path). */
  protected modelOf(record: RecordedRequest): unknown {
    return record.body?.['model'];
  }

  /** Resolves with the first request that satisfies `predicate`, polling until `timeoutMs`. */
  async waitFor(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = 5_000,
  ): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`${this.providerName} fake: no matching request in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The first request whose client went away mid-response (the server notices a little later). */
  waitForAborted(timeoutMs = 5_000): Promise<RecordedRequest> {
    return this.waitFor((request) => request.aborted, timeoutMs);
  }

  /** The scripted failure for this request, if any; counts it against `failNext`. */
  protected takeFailure(record: RecordedRequest): FailureSpec | undefined {
    const model = this.modelOf(record);
    const rule = this.failures.find(
      ({ spec, remaining }) =>
        remaining > 0 &&
        (spec.model === undefined || spec.model === model) &&
        (spec.apiKey === undefined || spec.apiKey === record.apiKey),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.spec;
  }

  protected sendJson(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    res
      .writeHead(status, {
        'Content-Type': 'application/json',
        [this.requestIdHeader]: record.requestId,
        ...headers,
      })
      .end(JSON.stringify(body));
  }

  protected startStream(res: ServerResponse, record: RecordedRequest): void {
    record.status = 200;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      [this.requestIdHeader]: record.requestId,
    });
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      search: url.search,
      headers: req.headers,
      body: null,
      apiKey: this.apiKeyOf(req.headers),
      requestId: `req_${randomId(24)}`,
      status: 0,
      at: Date.now(),
      piecesSent: 0,
      aborted: false,
    };
    this.requests.push(record);
    // 'close' before the response finished is the client going away (abort, timeout): the way an
    // upstream sees a hub that stops a stream. A deliberate cut (`cutAfterPieces`) ends the response first.
    res.on('close', () => {
      if (!res.writableFinished && !cutResponses.has(res)) record.aborted = true;
    });
    readJson(req)
      .then((body) => {
        record.body = body;
        return this.route(res, record);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) this.sendJson(res, record, 500, { error: { message: String(error) } });
        else res.destroy();
      });
  }
}

/**
 * Deterministic prompt token count: whitespace-separated words in the system prompt and every
 * message's text (string content or text parts), at least 1. Not a tokenizer, but stable, so a
 * test can compute exactly what the hub must charge.
 */
export function promptTokens(body: JsonObject): number {
  const texts: string[] = [...textsOf(body['system'])];
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  for (const message of messages) {
    if (message && typeof message === 'object') texts.push(...textsOf((message as JsonObject)['content']));
  }
  return Math.max(1, countWords(texts.join(' ')));
}

function textsOf(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part) =>
    part && typeof part === 'object' && typeof (part as JsonObject)['text'] === 'string'
      ? [(part as JsonObject)['text'] as string]
      : [],
  );
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * The reply's text and its pieces. Default: one piece per word (leading space kept, like tokens).
 * More pieces than words of the default text lengthen the default text (for slow abort streams);
 * an explicit text is split into near-equal character runs instead.
 */
export function planText(script: ReplyScript, provider: string): { text: string; pieces: string[] } {
  const fallback = `Hello from the fake ${provider}`;
  let text = script.text ?? fallback;
  const count = script.pieces ?? words(text).length;
  if (script.text === undefined && count > words(text).length) {
    const cycle = words(fallback).map((word) => word.trim());
    text = Array.from({ length: count }, (_, i) => cycle[i % cycle.length]).join(' ');
  }
  return { text, pieces: split(text, count) };
}

function words(text: string): string[] {
  const tokens = text.match(/\s*\S+/g) ?? [];
  const trailing = text.slice(tokens.join('').length);
  if (tokens.length === 0) return trailing ? [trailing] : [];
  tokens[tokens.length - 1] += trailing;
  return tokens;
}

function split(text: string, count: number): string[] {
  if (count <= 0 || text === '') return [];
  const tokens = words(text);
  const units = count <= tokens.length ? tokens : [...text];
  if (count > units.length)
    throw new Error(`fake upstream: cannot split ${JSON.stringify(text)} into ${count} pieces`);
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(units.length / count) + (i < units.length % count ? 1 : 0);
    pieces.push(units.slice(start, start + size).join(''));
    start += size;
  }
  return pieces;
}

/** Wait `ms`, or less if the client goes away meanwhile (then nothing more is written). */
export function pause(ms: number | undefined, res: ServerResponse): Promise<void> {
  if (!ms || ms <= 0 || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** One SSE event; `event:` only where the provider names its events (Anthropic). */
export function writeEvent(res: ServerResponse, data: unknown, event?: string): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  res.write(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`);
}

/** Random id material in the providers' style (`chatcmpl-…`, `msg_…`). */
export function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

async function readJson(req: IncomingMessage): Promise<JsonObject | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as JsonObject) : null;
  } catch {
    return null;
  }
}
