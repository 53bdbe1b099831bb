import { DomainError } from '@sah/domain';
import type { Logger } from 'pino';
import { RawData, WebSocket } from 'ws';
import { toRestError } from '../../../platform/http/rest-error';
import { aiCaller, ChatGateway, GatewayStreamEvent } from '../application/chat-gateway.service';
import { ModelCatalog } from '../application/model-catalog';
import { WsAuthenticator, WsPrincipal } from './ws-authenticator';
import { WsRequestLimiter } from './ws-request-limiter';
import {
  assertProviderMatches,
  chunkFrame,
  doneFrame,
  errorFrame,
  parseWsRequest,
  RequestId,
  WsRequest,
  WsRequestError,
} from './ws-protocol';

/** Requests one connection may have in flight; more are refused, not queued. */
export const MAX_IN_FLIGHT = 4;

export interface McpConnectionDeps {
  gateway: ChatGateway;
  catalog: ModelCatalog;
  authenticator: WsAuthenticator;
  limiter: WsRequestLimiter;
}

/**
 * One /ws/mcp client: reads request frames, runs each through the metered gateway with its own
 * AbortController, and answers by id. When the socket closes every call in flight is aborted, so the
 * gateway stops the upstream and charges only what was produced.
 */
export class McpConnection {
  /** False from a ping until its pong: the keep-alive sweep cuts a connection still false. */
  private alive = true;
  private readonly requests = new Map<RequestId, AbortController>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly socket: WebSocket,
    private readonly principal: WsPrincipal,
    private readonly deps: McpConnectionDeps,
    private readonly log: Logger,
  ) {
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => this.abortAll());
    // Resets and protocol violations end in 'close'; the error itself is only worth a line.
    socket.on('error', (error) => this.log.debug({ err: error }, 'websocket error'));
  }

  get userId(): string {
    return this.principal.userId;
  }

  get inFlight(): number {
    return this.requests.size;
  }

  /** One keep-alive round: terminate if the last ping went unanswered, else ping again. */
  heartbeat(): void {
    if (!this.alive) {
      this.log.info('websocket client stopped answering pings: terminated');
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  /** Resolves when every call in flight has settled its credits (captured or released). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Aborts every call, waits until each has settled its credits, then closes with `code`. */
  async shutdown(code: number, reason: string, graceMs: number): Promise<void> {
    this.abortAll();
    await this.settled();
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close(code, reason);
    const timer = setTimeout(() => this.socket.terminate(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      void this.send(errorFrame(null, { code: 'BAD_USER_INPUT', message: 'Send each request as a text frame of JSON' }));
      return;
    }
    let request: WsRequest;
    try {
      request = parseWsRequest(textOf(data));
    } catch (error) {
      void this.reportFailure(null, error);
      return;
    }
    if (this.requests.has(request.id)) {
      void this.reportFailure(request.id, DomainError.badInput('A request with this id is still in flight', { field: 'id' }));
      return;
    }
    if (this.requests.size >= MAX_IN_FLIGHT) {
      void this.reportFailure(
        request.id,
        new DomainError('RATE_LIMITED', `At most ${MAX_IN_FLIGHT} requests may be in flight on one connection`, { limit: MAX_IN_FLIGHT }),
      );
      return;
    }
    const controller = new AbortController();
    this.requests.set(request.id, controller);
    const run = this.answer(request, controller.signal)
      .catch((error: unknown) => (controller.signal.aborted ? undefined : this.reportFailure(request.id, error)))
      .finally(() => {
        this.requests.delete(request.id);
        this.running.delete(run);
      });
    this.running.add(run);
  }

  private async answer(request: WsRequest, signal: AbortSignal): Promise<void> {
    const principal = await this.deps.authenticator.authenticate(this.principal.credential);
    await this.deps.limiter.admit(principal);
    const model = await this.deps.catalog.resolve(request.chat.model);
    assertProviderMatches(request, model.provider);
    const caller = aiCaller(principal, 'websocket');

    if (!request.stream) {
      const result = await this.deps.gateway.complete(caller, request.chat, signal);
      await this.send(
        doneFrame(request.id, {
          text: result.content,
          model: result.model,
          finishReason: result.finishReason,
          usage: result.usage,
          credits: result.credits.toNumber(),
        }),
      );
      return;
    }

    const opened = await this.deps.gateway.stream(caller, request.chat, signal);
    let end: Extract<GatewayStreamEvent, { type: 'end' }> | undefined;
    // Leaving the loop early (abort) makes the gateway cut the upstream and settle what was produced.
    for await (const event of opened.events) {
      if (signal.aborted) break;
      if (event.type === 'delta') await this.send(chunkFrame(request.id, event.text));
      else end = event;
    }
    // The loop ends after the gateway has captured the charge, so `done` means the balance is final.
    if (!end || signal.aborted) return;
    await this.send(
      doneFrame(request.id, { model: opened.model, finishReason: end.finishReason, usage: end.usage, credits: end.credits.toNumber() }),
    );
  }

  private async reportFailure(id: RequestId | null, error: unknown): Promise<void> {
    if (error instanceof WsRequestError) {
      await this.send(errorFrame(error.id, toRestError(error.error)));
      return;
    }
    const rest = toRestError(error);
    if (rest.status >= 500 && rest.code === 'INTERNAL_SERVER_ERROR') this.log.error({ err: error, ws_request_id: id }, 'websocket request failed');
    await this.send(errorFrame(id, rest));
  }

  private abortAll(): void {
    for (const controller of this.requests.values()) controller.abort();
  }

  /** Resolves once the frame is handed to the OS, so a slow reader slows the upstream stream too. */
  private send(frame: object): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) return Promise.resolve();
    return new Promise((resolve) => this.socket.send(JSON.stringify(frame), () => resolve()));
  }
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}
