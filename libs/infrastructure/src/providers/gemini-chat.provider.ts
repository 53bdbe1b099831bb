import { ApiError, GenerateContentParameters, GenerateContentResponse, GoogleGenAI } from '@google/genai';
import {
  ChatProvider,
  ChatResult,
  ChatStreamEvent,
  FinishReason,
  ProviderCallOptions,
  ProviderFailure,
  ProviderRequest,
  TokenUsage,
} from '@sah/domain';
import { ChannelConnections } from './channel-connections';
import { ProviderDeadlines, withStreamDeadlines } from './provider-deadlines';
import { retryAfterMs, UpstreamAborted } from './provider-failures';

const FINISH: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
};

/**
 * Google Gemini through its official SDK (`@google/genai`, Gemini Developer API). The SDK retries
 * only when asked to (it is not), so retries stay the gateway's. Its errors carry no headers, so
 * each call reads the response's `Retry-After` through its own fetch.
 */
export class GeminiChatProvider extends ChatProvider {
  readonly name = 'gemini' as const;
  private readonly clients = new Map<string, GoogleGenAI>();

  constructor(private readonly options: { baseUrl?: string; deadlines: ProviderDeadlines; channels?: ChannelConnections }) {
    super();
  }

  async complete(request: ProviderRequest, { apiKey, signal, baseUrl }: ProviderCallOptions): Promise<Omit<ChatResult, 'model'>> {
    const seen = new ResponseHeaders(baseUrl && this.options.channels ? this.options.channels.fetchFor(baseUrl) : (input, init) => fetch(input, init));
    try {
      const response = await this.client(apiKey, baseUrl).models.generateContent(
        this.params(request, signal, { timeout: this.options.deadlines.requestTimeoutMs, fetch: seen.fetch }),
      );
      const candidate = response.candidates?.[0];
      return {
        id: response.responseId ?? '',
        content: textOf(response),
        finishReason: finishOf(response, candidate?.finishReason),
        usage: usageOf(response),
      };
    } catch (error) {
      throw geminiFailure(error, signal, seen.headers);
    }
  }

  async *stream(request: ProviderRequest, { apiKey, signal, baseUrl }: ProviderCallOptions): AsyncIterable<ChatStreamEvent> {
    let finishReason: FinishReason = 'stop';
    let usage: TokenUsage | undefined;
    const cutOff = new AbortController();
    const callSignal = AbortSignal.any([signal, cutOff.signal]);
    const seen = new ResponseHeaders(baseUrl && this.options.channels ? this.options.channels.fetchFor(baseUrl) : (input, init) => fetch(input, init));
    // The SDK's timeout would bound the whole stream; the hub's deadlines bound its first byte
    // (connecting included: the call itself is the first step of the iterable) and its silences.
    const client = this.client(apiKey, baseUrl);
    const params = this.params(request, callSignal, { fetch: seen.fetch });
    const chunks = (async function* () {
      yield* await client.models.generateContentStream(params);
    })();
    try {
      for await (const chunk of withStreamDeadlines(chunks, this.options.deadlines, Date.now(), () => cutOff.abort())) {
        const text = textOf(chunk);
        if (text) yield { type: 'delta', text };
        const reason = chunk.candidates?.[0]?.finishReason;
        if (reason || chunk.promptFeedback?.blockReason) finishReason = finishOf(chunk, reason);
        // Each chunk may repeat the counts so far; the last one holds the totals.
        usage = usageOf(chunk) ?? usage;
      }
    } catch (error) {
      throw geminiFailure(error, signal, seen.headers);
    }
    // An aborted SDK stream may simply stop: that is not a finished answer.
    if (signal.aborted) throw new UpstreamAborted();
    yield { type: 'end', finishReason, usage };
  }

  private params(request: ProviderRequest, abortSignal: AbortSignal, httpOptions: { timeout?: number; fetch: typeof fetch }): GenerateContentParameters {
    return {
      model: request.upstreamModel,
      contents: request.messages.map((message) => ({
        role: message.role === 'assistant' ? 'model' : 'user',
        parts: [{ text: message.content }],
      })),
      config: {
        abortSignal,
        httpOptions,
        maxOutputTokens: request.maxTokens,
        ...(request.system ? { systemInstruction: request.system } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.topP !== undefined ? { topP: request.topP } : {}),
        ...(request.stop?.length ? { stopSequences: request.stop } : {}),
      },
    };
  }

  /** One client per key and base URL (a channel's own base URL is fetched through the guarded connections, see `ResponseHeaders`). */
  private client(apiKey: string, channelBaseUrl?: string): GoogleGenAI {
    const cacheKey = `${channelBaseUrl ?? ''}\n${apiKey}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      const baseUrl = channelBaseUrl ?? this.options.baseUrl;
      client = new GoogleGenAI({ apiKey, ...(baseUrl ? { httpOptions: { baseUrl } } : {}) });
      this.clients.set(cacheKey, client);
    }
    return client;
  }
}

/** The answer's text, without the model's thought summaries. */
function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => (part.thought ? '' : (part.text ?? ''))).join('');
}

function finishOf(response: GenerateContentResponse, reason: string | undefined): FinishReason {
  // A prompt Google blocked has no candidate at all, only the reason why.
  if (response.promptFeedback?.blockReason) return 'content_filter';
  return FINISH[reason ?? 'STOP'] ?? 'stop';
}

/**
 * Google's counts as the hub bills them: the prompt (cached content included) plus tool results as
 * input; the answer plus the model's thinking as output (Google bills thoughts as output tokens).
 */
function usageOf(response: GenerateContentResponse): TokenUsage | undefined {
  const metadata = response.usageMetadata;
  if (!metadata || metadata.promptTokenCount === undefined) return undefined;
  return {
    inputTokens: metadata.promptTokenCount + (metadata.toolUsePromptTokenCount ?? 0),
    outputTokens: (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0),
    cachedInputTokens: metadata.cachedContentTokenCount ?? 0,
  };
}

/** Keeps the headers of the call's last response, which the SDK's `ApiError` does not carry. */
class ResponseHeaders {
  headers: Headers | undefined;
  constructor(private readonly send: typeof fetch) {}
  readonly fetch: typeof fetch = async (input, init) => {
    const response = await this.send(input, init);
    this.headers = response.headers;
    return response;
  };
}

interface GoogleErrorBody {
  error?: { message?: string; status?: string; details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string }> };
}

/** Translates what the Gemini SDK threw into the gateway's terms. */
export function geminiFailure(error: unknown, signal: AbortSignal, headers: Headers | undefined): Error {
  if (error instanceof ProviderFailure || error instanceof UpstreamAborted) return error;
  if (signal.aborted) return new UpstreamAborted();
  if (error instanceof ApiError) {
    const body = googleErrorBody(error.message);
    const message = body?.error?.message ?? error.message;
    const details = body?.error?.details ?? [];
    const status = error.status;
    // Retry-After when the server sent one, else Google's own RetryInfo delay ("30s").
    const retryAfter = (headers && retryAfterMs({ headers, message })) ?? retryDelayMs(details);
    if (status === 429) return new ProviderFailure('rate_limited', message, status, retryAfter);
    // Google answers a bad key with 400 INVALID_ARGUMENT and the reason API_KEY_INVALID.
    if (status === 401 || status === 403 || details.some((detail) => detail.reason === 'API_KEY_INVALID')) {
      return new ProviderFailure('auth', 'The provider refused the hub’s credentials', status);
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 409) return new ProviderFailure('invalid_request', message, status);
    return new ProviderFailure('server_error', message, status, retryAfter);
  }
  // The SDK's own timeout aborts the request (the caller's signal is not aborted).
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new ProviderFailure('timeout', 'The provider did not answer in time');
  }
  // Anything else came from the wire: a refused connection, a stream that broke off, a body that was not JSON.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new ProviderFailure('unreachable', `The provider connection failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
}

/** The SDK puts the error body as JSON into the message (a stream's error after a `got status:` prefix). */
function googleErrorBody(message: string): GoogleErrorBody | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(message.slice(start)) as GoogleErrorBody;
  } catch {
    return undefined;
  }
}

function retryDelayMs(details: NonNullable<NonNullable<GoogleErrorBody['error']>['details']>): number | undefined {
  const delay = details.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const seconds = delay ? Number.parseFloat(delay) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
