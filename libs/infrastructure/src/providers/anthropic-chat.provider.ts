import Anthropic from '@anthropic-ai/sdk';
import { ChatProvider, ChatResult, ChatStreamEvent, FinishReason, ProviderCallOptions, ProviderRequest } from '@sah/domain';
import { ChannelConnections } from './channel-connections';
import { ProviderDeadlines, withStreamDeadlines } from './provider-deadlines';
import { toProviderFailure, UpstreamAborted } from './provider-failures';

const STOP: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop_sequence',
  max_tokens: 'length',
  refusal: 'content_filter',
};

/** Anthropic through its official SDK. Retries are the gateway's, so the SDK's own are off. */
export class AnthropicChatProvider extends ChatProvider {
  readonly name = 'anthropic' as const;
  private readonly clients = new Map<string, Anthropic>();

  constructor(private readonly options: { baseUrl?: string; deadlines: ProviderDeadlines; channels?: ChannelConnections }) {
    super();
  }

  async complete(request: ProviderRequest, { apiKey, signal, baseUrl }: ProviderCallOptions): Promise<Omit<ChatResult, 'model'>> {
    try {
      const message = await this.client(apiKey, baseUrl).messages.create({ ...this.params(request), stream: false }, { signal });
      return {
        id: message.id,
        content: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
        finishReason: STOP[message.stop_reason ?? 'end_turn'] ?? 'stop',
        usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
      };
    } catch (error) {
      throw toProviderFailure(error, Anthropic);
    }
  }

  async *stream(request: ProviderRequest, { apiKey, signal, baseUrl }: ProviderCallOptions): AsyncIterable<ChatStreamEvent> {
    let finishReason: FinishReason = 'stop';
    let inputTokens: number | undefined;
    let outputTokens: number | undefined;
    const { deadlines } = this.options;
    const cutOff = new AbortController();
    const started = Date.now();
    try {
      const stream = await this.client(apiKey, baseUrl).messages.create(
        { ...this.params(request), stream: true },
        { signal: AbortSignal.any([signal, cutOff.signal]), timeout: deadlines.firstByteTimeoutMs },
      );
      for await (const event of withStreamDeadlines(stream, deadlines, started, () => cutOff.abort())) {
        if (event.type === 'message_start') inputTokens = event.message.usage.input_tokens;
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') yield { type: 'delta', text: event.delta.text };
        if (event.type === 'message_delta') {
          finishReason = STOP[event.delta.stop_reason ?? 'end_turn'] ?? 'stop';
          outputTokens = event.usage.output_tokens;
        }
      }
    } catch (error) {
      throw toProviderFailure(error, Anthropic);
    }
    // An aborted SDK stream may simply stop: that is not a finished answer.
    if (signal.aborted) throw new UpstreamAborted();
    const usage = inputTokens !== undefined && outputTokens !== undefined ? { inputTokens, outputTokens } : undefined;
    yield { type: 'end', finishReason, usage };
  }

  private params(request: ProviderRequest) {
    return {
      model: request.upstreamModel,
      max_tokens: request.maxTokens,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      ...(request.system ? { system: request.system } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.stop?.length ? { stop_sequences: request.stop } : {}),
    };
  }

  /** One client per key and base URL; a channel's own base URL is reached through the guarded connections. */
  private client(apiKey: string, baseUrl?: string): Anthropic {
    const cacheKey = `${baseUrl ?? ''}\n${apiKey}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      const channel = baseUrl && this.options.channels ? { baseURL: baseUrl, fetch: this.options.channels.fetchFor(baseUrl) } : { baseURL: this.options.baseUrl };
      client = new Anthropic({ apiKey, ...channel, maxRetries: 0, timeout: this.options.deadlines.requestTimeoutMs });
      this.clients.set(cacheKey, client);
    }
    return client;
  }

}
