import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ChatMessage, ChatRequest, DomainError, systemPrompt } from '@sah/domain';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AiCaller, ChatGateway } from '../application/chat-gateway.service';
import { toolError } from './tool-error';

const MESSAGE = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

const CHAT_INPUT = z.strictObject({
  model: z.string().min(1).max(200).describe('A model id or alias from the hub’s catalogue, e.g. gpt-4o or claude-sonnet-4-5'),
  prompt: z.string().min(1).optional().describe('A single user message. Give this or messages, not both.'),
  messages: z
    .array(MESSAGE)
    .min(1)
    .optional()
    .describe('The conversation so far, oldest first; system messages become the system prompt. Give this or prompt, not both.'),
  system: z.string().optional().describe('System instructions'),
  maxTokens: z.number().int().min(1).optional().describe('Cap on the reply’s tokens; the most the call can cost is held up front'),
  temperature: z.number().min(0).max(2).optional(),
});

const CHAT_OUTPUT = z.object({
  text: z.string(),
  model: z.string().describe('The model that answered (a configured fallback when the requested one could not)'),
  finishReason: z.enum(['stop', 'length', 'stop_sequence', 'content_filter']),
  usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() }),
  credits: z.number().describe('Credits charged for this call (usage × the model’s price)'),
});

type ChatInput = z.infer<typeof CHAT_INPUT>;

/** `chat`: one completion through the metered gateway, paid from the caller's credits. */
export function registerChatTool(server: McpServer, gateway: ChatGateway, caller: AiCaller, log: Logger): void {
  server.registerTool(
    'chat',
    {
      title: 'Chat with a model',
      description:
        'Sends a prompt or a conversation to an OpenAI or Anthropic model through Smart AI Hub and returns the reply. ' +
        'The call is paid in credits from your balance (usage × the model’s price); without enough credits it fails with INSUFFICIENT_CREDITS.',
      inputSchema: CHAT_INPUT,
      outputSchema: CHAT_OUTPUT,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (input, extra) => {
      try {
        // The signal fires when the client cancels the call or its HTTP request goes away.
        const result = await gateway.complete(caller, toChatRequest(input), extra.signal);
        return {
          content: [{ type: 'text', text: result.content }],
          structuredContent: {
            text: result.content,
            model: result.model,
            finishReason: result.finishReason,
            usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
            credits: result.credits.toNumber(),
          },
        };
      } catch (error) {
        return toolError(error, log);
      }
    },
  );
}

function toChatRequest(input: ChatInput): ChatRequest {
  if ((input.prompt === undefined) === (input.messages === undefined)) {
    throw DomainError.badInput('Give either prompt or messages', { field: 'prompt' });
  }
  const system = input.system === undefined ? [] : [input.system];
  const messages: ChatMessage[] = [];
  for (const message of input.messages ?? [{ role: 'user' as const, content: input.prompt ?? '' }]) {
    if (message.role === 'system') system.push(message.content);
    else messages.push({ role: message.role, content: message.content });
  }
  return {
    model: input.model,
    system: systemPrompt(system),
    messages,
    maxTokens: input.maxTokens,
    temperature: input.temperature,
  };
}
