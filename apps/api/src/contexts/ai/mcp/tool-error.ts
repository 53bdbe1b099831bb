import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { toRestError } from '../../../platform/http/rest-error';

/**
 * A failed tool call the MCP way: a result with `isError`, which the calling model can read and act
 * on, rather than a protocol error. The text leads with the hub's error code (INSUFFICIENT_CREDITS,
 * CONTEXT_LENGTH_EXCEEDED, …) so agents can branch on it; unexpected errors stay opaque.
 */
export function toolError(error: unknown, log: Logger): CallToolResult {
  const rest = toRestError(error);
  if (rest.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error }, 'MCP tool failed');
  return { isError: true, content: [{ type: 'text', text: `${rest.code}: ${rest.message}` }] };
}
