import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { UsageQuery } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { LedgerService } from '../../billing/application/ledger.service';
import type { SpendingBudget } from '../../billing/application/spending-budget';
import { AiCaller, ChatGateway } from '../application/chat-gateway.service';
import { registerChatTool } from './chat.tool';
import { registerCredits } from './credits.tool';
import { registerUsage } from './usage.resource';

export interface HubMcpServices {
  gateway: ChatGateway;
  ledger: LedgerService;
  usage: UsageQuery;
  version: string;
  /** The media context's tools, when the caller may create media jobs. */
  media?: { register(server: McpServer, payer: { userId: string; budget: SpendingBudget | null; teamId: string | null }, log: Logger): void };
}

const INSTRUCTIONS =
  'Smart AI Hub: call OpenAI and Anthropic models with one key, paid in credits. ' +
  'Use check_credits (or the credits://balance resource) to see what you can spend, and chat to call a model.';

/**
 * The hub's MCP server for one caller. The endpoint is stateless, so a server is built per HTTP
 * request with the authenticated caller bound into its tools: no tool can reach another account.
 */
export function createHubMcpServer(services: HubMcpServices, caller: AiCaller, log: Logger): McpServer {
  const server = new McpServer({ name: 'smart-ai-hub', title: 'Smart AI Hub', version: services.version }, { instructions: INSTRUCTIONS });
  registerChatTool(server, services.gateway, caller, log);
  registerCredits(server, services.ledger, caller.userId, log);
  registerUsage(server, services.usage, caller.userId);
  services.media?.register(server, { userId: caller.userId, budget: caller.budget ?? null, teamId: caller.teamId ?? null }, log);
  return server;
}
