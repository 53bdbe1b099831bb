import { ChatProvider, ChatResult, ChatStreamEvent, FinishReason, ProviderCallOptions, ProviderRequest, TokenUsage } from '@sah/domain';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ChannelConnections } from './channel-connections';
import { ProviderDeadlines, withStreamDeadlines } from './provider-deadlines';
import { toProviderFailure, UpstreamAborted } from './provider-failures';

const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', content_filter: 'content_filter' };

/** OpenAI through its official SDK. Retries are the gateway's, so the SDK's own are off. */
export class OpenAiChatProvider extends ChatProvider {
  readonly name = 'openai' as const;
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly options: { baseUrl?: string; deadlines: ProviderDeadlines; channels?: ChannelConnections }) {
    super();
  }

  async complete(request: ProviderRequest, { apiKey, signal, baseUrl }: ProviderCallOptions): Promise<Omit<ChatResult, 'model'>> {
    try {
      const completion = await this.client(apiKey, baseUrl).chat.completions.create({ ...this.params(request), stream: false }, { signal });
      const choice = completion.choices[0];
      return {
        id: completion.id,
        content: choice?.message.content ?? '',
        finishReason: FINISH[choice?.finish_reason ?? 'stop'] ?? 'stop',
        usage: completion.usage ? { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens } : undefined,
      };
    } catch (error) {
      throw toProviderFailure(error, OpenAI);
    }
  }

  async *stream(request: ProviderRequest, { apiKey, signal, baseUrl }: ProviderCallOptions): AsyncIterable<ChatStreamEvent> {
    let finishReason: FinishReason = 'stop';
    let usage: TokenUsage | undefined;
    const { deadlines } = this.options;
    const cutOff = new AbortController();
    const started = Date.now();
    try {
      const stream = await this.client(apiKey, baseUrl).chat.completions.create(
        { ...this.params(request), stream: true, stream_options: { include_usage: true } },
        { signal: AbortSignal.any([signal, cutOff.signal]), timeout: deadlines.firstByteTimeoutMs },
      );
      for await (const chunk of withStreamDeadlines(stream, deadlines, started, () => cutOff.abort())) {
        const choice = chunk.choices[0];
        if (choice?.delta?.content) yield { type: 'delta', text: choice.delta.content };
        if (choice?.finish_reason) finishReason = FINISH[choice.finish_reason] ?? 'stop';
        if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
      }
    } catch (error) {
      throw toProviderFailure(error, OpenAI);
    }
    // An aborted SDK stream may simply stop: that is not a finished answer.
    if (signal.aborted) throw new UpstreamAborted();
    yield { type: 'end', finishReason, usage };
  }

  private params(request: ProviderRequest): ChatCompletionCreateParamsBase {
    const messages: ChatCompletionMessageParam[] = [
      ...(request.system ? [{ role: 'system' as const, content: request.system }] : []),
      ...request.messages.map((message) => ({ role: message.role, content: message.content })),
    ];
    return {
      model: request.upstreamModel,
      messages,
      max_tokens: request.maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.stop?.length ? { stop: request.stop } : {}),
    };
  }

  /** One client per key and base URL; a channel's own base URL is reached through the guarded connections. */
  private client(apiKey: string, baseUrl?: string): OpenAI {
    const cacheKey = `${baseUrl ?? ''}\n${apiKey}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      const channel = baseUrl && this.options.channels ? { baseURL: baseUrl, fetch: this.options.channels.fetchFor(baseUrl) } : { baseURL: this.options.baseUrl };
      client = new OpenAI({ apiKey, ...channel, maxRetries: 0, timeout: this.options.deadlines.requestTimeoutMs });
      this.clients.set(cacheKey, client);
    }
    return client;
  }

}
