import type { ChatRequest, ChatResult, ChatStreamEvent, ProviderName } from '../chat';

/** The upstream request: the hub's request with the provider's model name and a known output budget. */
export interface ProviderRequest extends Omit<ChatRequest, 'model' | 'maxTokens'> {
  upstreamModel: string;
  maxTokens: number;
}

export interface ProviderCallOptions {
  /** The provider credential to use for this attempt. */
  apiKey: string;
  /** Aborts the upstream request (client gone, timeout). */
  signal: AbortSignal;
  /** A channel's base URL, typed by an admin (connected to only through the address guard); absent = the configured one. */
  baseUrl?: string;
}

/**
 * Port: one AI provider. Adapters (infrastructure) use the provider's official SDK and throw
 * `ProviderFailure` for anything that went wrong upstream.
 */
export abstract class ChatProvider {
  abstract readonly name: ProviderName;
  abstract complete(request: ProviderRequest, options: ProviderCallOptions): Promise<Omit<ChatResult, 'model'>>;
  abstract stream(request: ProviderRequest, options: ProviderCallOptions): AsyncIterable<ChatStreamEvent>;
}
