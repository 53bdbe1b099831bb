import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LedgerService } from '../../billing/application/ledger.service';
import { toolError } from './tool-error';

export const BALANCE_URI = 'credits://balance';

const BALANCE = z.object({
  balance: z.number().describe('Everything in the account, reserved credits included'),
  reserved: z.number().describe('Held for calls under way'),
  available: z.number().describe('What can be spent now: balance - reserved'),
});

type Balance = z.infer<typeof BALANCE>;

/** Credits as numbers with up to 3 decimals, as GraphQL's `creditBalance` shows them. */
async function balanceOf(ledger: LedgerService, userId: string): Promise<Balance> {
  const account = await ledger.balance(userId);
  return {
    balance: account.balance.toNumber(),
    reserved: account.reserved.toNumber(),
    available: account.balance.minus(account.reserved).toNumber(),
  };
}

/** `check_credits` and the `credits://balance` resource: the caller's own account, nobody else's. */
export function registerCredits(server: McpServer, ledger: LedgerService, userId: string, log: Logger): void {
  server.registerTool(
    'check_credits',
    {
      title: 'Check credits',
      description: 'Your Smart AI Hub credit balance: total, reserved for calls under way, and available to spend.',
      outputSchema: BALANCE,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      try {
        const balance = await balanceOf(ledger, userId);
        // Structured for programs, the same JSON as text for clients that only read text.
        return { content: [{ type: 'text', text: JSON.stringify(balance) }], structuredContent: balance };
      } catch (error) {
        return toolError(error, log);
      }
    },
  );

  server.registerResource(
    'credit-balance',
    BALANCE_URI,
    { title: 'Credit balance', description: 'Your balance, reserved and available credits', mimeType: 'application/json' },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(await balanceOf(ledger, userId)) }],
    }),
  );
}
