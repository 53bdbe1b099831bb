import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { UsageQuery } from '@sah/infrastructure';

export const RECENT_USAGE_URI = 'usage://recent';

/** Enough to see what the last calls cost without paging; analytics has the full history. */
export const RECENT_USAGE_LIMIT = 20;

/** `usage://recent`: the caller's own latest AI calls, newest first. */
export function registerUsage(server: McpServer, usage: UsageQuery, userId: string): void {
  server.registerResource(
    'recent-usage',
    RECENT_USAGE_URI,
    {
      title: 'Recent AI usage',
      description: `Your last ${RECENT_USAGE_LIMIT} AI calls, newest first: model, tokens, credits, latency, status`,
      mimeType: 'application/json',
    },
    async (uri) => {
      const calls = (await usage.recent(userId, RECENT_USAGE_LIMIT)).map((call) => ({
        id: call.id,
        at: call.at.toISOString(),
        endpoint: call.endpoint,
        model: call.model,
        provider: call.provider,
        stream: call.stream,
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens,
        credits: call.credits.toNumber(),
        latencyMs: call.latencyMs,
        status: call.status,
        errorCode: call.errorCode,
      }));
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ calls }) }] };
    },
  );
}
