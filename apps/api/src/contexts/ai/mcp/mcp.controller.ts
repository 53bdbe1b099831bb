import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { UsageQuery } from '@sah/infrastructure';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { LedgerService } from '../../billing/application/ledger.service';
import { aiCaller, ChatGateway } from '../application/chat-gateway.service';
import { MediaMcpTools } from '../../media/mcp/media-mcp-tools';
import { createHubMcpServer, HubMcpServices } from './hub-mcp-server';

/**
 * Model Context Protocol over Streamable HTTP, stateless: every JSON-RPC POST gets its own server
 * and transport, so any instance can answer any request and nothing is kept between them.
 *
 * Auth is the global guard's: a bearer API key with the `ai.use` scope (or a signed-in access
 * token). One scope for the whole endpoint, because the handshake and listings come before any tool
 * is chosen; `ai.use` already lets a key spend credits, so reading the balance adds nothing. Rate
 * limits count every HTTP request, as on the other endpoints.
 */
@Controller('mcp')
@RequirePermission('ai:use')
@ApiKeyScope('ai.use')
export class McpController {
  private readonly services: HubMcpServices;

  constructor(
    gateway: ChatGateway,
    ledger: LedgerService,
    dataSource: DataSource,
    config: AppConfig,
    private readonly modules: ModuleRef,
  ) {
    this.services = { gateway, ledger, usage: new UsageQuery(dataSource), version: config.version };
  }

  @Post()
  async message(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    const server = createHubMcpServer({ ...this.services, media: this.mediaToolsFor(principal) }, aiCaller(principal, 'mcp'), req.log);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    // Closing aborts tool calls still running when the client goes away: the gateway stops the
    // upstream call and releases the held credits.
    res.on('close', () => void server.close());
    await server.connect(transport);
    // The global JSON parser has consumed the body already; the transport takes it parsed.
    await transport.handleRequest(req, res, req.body);
  }

  /** The media tools (another context's, found at run time) for callers allowed to create media jobs: API keys need `media.create`. */
  private mediaToolsFor(principal: Principal): MediaMcpTools | undefined {
    if (principal.via === 'api_key' && !principal.scopes.includes('media.create')) return undefined;
    return this.modules.get(MediaMcpTools, { strict: false });
  }

  /** No sessions, so no server-initiated stream (GET) and nothing to terminate (DELETE): 405, as the spec allows. */
  @Get()
  stream(@Res() res: Response): void {
    methodNotAllowed(res);
  }

  @Delete()
  terminate(@Res() res: Response): void {
    methodNotAllowed(res);
  }
}

function methodNotAllowed(res: Response): void {
  res
    .status(405)
    .setHeader('allow', 'POST')
    .json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless, POST only' }, id: null });
}
