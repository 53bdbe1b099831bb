/** The hub's one request model; the OpenAI, Anthropic and Gemini formats all map onto it and back. */
export type ChatRole = 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface ChatRequest {
  /** The hub's model id (or one of its aliases). */
  model: string;
  /** System instructions, kept apart as Anthropic does; OpenAI's system messages are folded in here. */
  system?: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
}

/**
 * The system prompt from instructions given in several places (a system field, system-role messages):
 * paragraphs in order, or none when there were none. Every entry point folds them the same way.
 */
export function systemPrompt(parts: readonly string[]): string | undefined {
  return parts.length ? parts.join('\n\n') : undefined;
}

export type FinishReason = 'stop' | 'length' | 'stop_sequence' | 'content_filter';

export interface TokenUsage {
  /** Every input token, those read from the provider's prompt cache included. */
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, those the provider read from its prompt cache (billed at the cache price). */
  cachedInputTokens?: number;
}

export interface ChatResult {
  id: string;
  /** The model that answered (a fallback, when the requested one could not). */
  model: string;
  content: string;
  finishReason: FinishReason;
  /** The provider's count; absent when its reply carried none (the gateway then charges its own estimate). */
  usage?: TokenUsage;
}

/** What a provider stream yields: text as it comes, then one `end` with the finish reason and usage. */
export type ChatStreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'end'; finishReason: FinishReason; usage?: TokenUsage };

export const PROVIDERS = ['openai', 'anthropic', 'gemini'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export function isProviderName(value: string): value is ProviderName {
  return (PROVIDERS as readonly string[]).includes(value);
}
