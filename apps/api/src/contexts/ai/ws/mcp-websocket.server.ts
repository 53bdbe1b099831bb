import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError } from '@sah/domain';
import { IncomingMessage, Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { WebSocketServer } from 'ws';
import { AppConfig } from '../../../config/app-config';
import { chooseRequestId, REQUEST_ID_HEADER } from '../../../platform/http/request-id';
import { RestError, toRestError } from '../../../platform/http/rest-error';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { maskUrl } from '../../../platform/logging/mask-url';
import { MetricsService } from '../../../platform/metrics/metrics.service';
import { ChatGateway } from '../application/chat-gateway.service';
import { ModelCatalog } from '../application/model-catalog';
import { ConnectionRegistry } from './connection-registry';
import { McpConnection, McpConnectionDeps } from './mcp-connection';
import { WsAuthenticator, WsPrincipal } from './ws-authenticator';
import { WsRequestLimiter } from './ws-request-limiter';

export const MCP_WEBSOCKET_PATH = '/ws/mcp';
/** Larger frames close the connection with 1009 (Message Too Big) before they are buffered whole. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** How long a closing client gets to answer the close frame at shutdown. */
const CLOSE_GRACE_MS = 1_000;

/**
 * The integrations' WebSocket endpoint. It shares the HTTP server with graphql-ws (Apollo's
 * subscriptions on /graphql): both servers run in `noServer` mode and each `upgrade` listener takes
 * only its own path, so neither aborts the other's handshakes. The credential is checked before the
 * handshake completes: a refused client gets a plain HTTP 401/403 and never a socket.
 */
@Injectable()
export class McpWebSocketServer implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: MAX_FRAME_BYTES });
  private keepAlive?: NodeJS.Timeout;
  private closing = false;
  /** Calls still settling on connections that have closed. */
  private readonly settling = new Set<Promise<void>>();
  private readonly deps: McpConnectionDeps;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: WsAuthenticator,
    limiter: WsRequestLimiter,
    gateway: ChatGateway,
    catalog: ModelCatalog,
    private readonly registry: ConnectionRegistry,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.deps = { gateway, catalog, authenticator, limiter };
    new Gauge({
      name: 'ai_websocket_connections',
      help: 'Open /ws/mcp connections on this instance',
      registers: [metrics.registry],
      collect() {
        this.set(registry.size);
      },
    });
  }

  onApplicationBootstrap(): void {
    // Absent in a context without HTTP (e.g. a standalone application context).
    const httpServer = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!httpServer) return;
    httpServer.on('upgrade', this.onUpgrade);
    this.keepAlive = setInterval(() => this.registry.all().forEach((connection) => connection.heartbeat()), this.config.ai.wsPingIntervalMs);
    this.keepAlive.unref();
  }

  /**
   * Apollo's drain plugin ends every connection without a pending HTTP request, upgraded
   * sockets included, when GraphQLModule is destroyed. This module is destroyed before it (it sits
   * nearer the root), so clients get a proper 1001 and their calls are aborted and settled first.
   * The upgrade listener stays, answering late clients 503 instead of leaving them hanging.
   */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearInterval(this.keepAlive);
    await Promise.allSettled(this.registry.all().map((connection) => connection.shutdown(1001, 'Server shutting down', CLOSE_GRACE_MS)));
  }

  /** Whoever closed a socket, its calls settle their credits before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.settling]);
    this.wss.close();
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Every other path (notably /graphql) is left to its own listener.
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_WEBSOCKET_PATH) return;
    void this.accept(req, socket, head);
  };

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const requestId = chooseRequestId(req.headers['x-request-id']);
    const log = this.logger.child({ request_id: requestId, path: MCP_WEBSOCKET_PATH });
    // A client that resets during authentication must not raise an unhandled 'error'.
    const onEarlyError = () => socket.destroy();
    socket.on('error', onEarlyError);

    let principal: WsPrincipal;
    try {
      if (this.closing) throw new DomainError('SERVICE_UNAVAILABLE', 'The server is shutting down; reconnect shortly');
      principal = await this.authenticator.authenticate(WsAuthenticator.credentialOf(req));
    } catch (error) {
      const refusal = toRestError(error);
      if (refusal.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error }, 'websocket authentication failed');
      log.info({ url: maskUrl(req.url ?? ''), status: refusal.status, code: refusal.code }, 'websocket upgrade refused');
      refuse(socket, refusal, requestId);
      return;
    }
    if (socket.destroyed) return;
    socket.off('error', onEarlyError);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new McpConnection(ws, principal, this.deps, log.child({ user_id: principal.userId }));
      this.registry.add(connection);
      const openedAt = Date.now();
      log.info({ user_id: principal.userId, via: principal.apiKeyId ? 'api_key' : 'access_token' }, 'websocket connected');
      ws.once('close', (code) => {
        this.registry.remove(connection);
        const settled = connection.settled().finally(() => this.settling.delete(settled));
        this.settling.add(settled);
        log.info({ user_id: principal.userId, code, duration_ms: Date.now() - openedAt }, 'websocket closed');
      });
    });
  }

}

/** The contract's REST error body as a plain HTTP answer to the upgrade request; no socket opens. */
function refuse(socket: Duplex, error: RestError, requestId: string): void {
  const body = JSON.stringify({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      timestamp: new Date().toISOString(),
      request_id: requestId,
    },
  });
  const headers = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `${REQUEST_ID_HEADER}: ${requestId}`,
    ...(error.status === 401 ? ['WWW-Authenticate: Bearer'] : []),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
