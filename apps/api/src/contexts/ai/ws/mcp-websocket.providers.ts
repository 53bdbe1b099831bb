import { AiConnectionsResolver } from './ai-connections.resolver';
import { ConnectionRegistry } from './connection-registry';
import { McpWebSocketServer } from './mcp-websocket.server';
import { WsAuthenticator } from './ws-authenticator';
import { WsRequestLimiter } from './ws-request-limiter';

/** Everything behind /ws/mcp, registered in AiModule as one entry. */
export const MCP_WEBSOCKET_PROVIDERS = [WsAuthenticator, WsRequestLimiter, ConnectionRegistry, McpWebSocketServer, AiConnectionsResolver];
