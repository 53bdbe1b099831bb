import type { ChatRequest } from './chat';

/**
 * A conservative token estimate (about 4 characters a token, plus per-message overhead), used where
 * the provider's own count is not available yet: context-window checks and holds before a call, and
 * output produced by a stream that was cut before the provider reported usage.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const PER_MESSAGE_OVERHEAD = 4;

export function estimatePromptTokens(request: Pick<ChatRequest, 'system' | 'messages'>): number {
  const system = request.system ? estimateTokens(request.system) + PER_MESSAGE_OVERHEAD : 0;
  return request.messages.reduce((sum, message) => sum + estimateTokens(message.content) + PER_MESSAGE_OVERHEAD, system) + 3;
}
