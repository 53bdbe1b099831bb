import { ChatMessage, ChatRequest, DomainError, FinishReason, systemPrompt, TokenUsage } from '@sah/domain';

/** OpenAI chat-completions wire format ⇄ the hub's request model. */

const ACCEPTED = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'stream',
  'stream_options',
  'n',
  'user',
]);

export interface OpenAiChatRequest {
  request: ChatRequest;
  stream: boolean;
  includeUsage: boolean;
}

const bad = (message: string, param?: string) => DomainError.badInput(message, param ? { param } : undefined);

export function parseOpenAiRequest(body: unknown): OpenAiChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('The request body must be a JSON object');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).find((key) => !ACCEPTED.has(key));
  if (unknown) throw bad(`Unrecognized request argument supplied: ${unknown}`, unknown);
  if (typeof input.model !== 'string' || !input.model) throw bad('model is required', 'model');
  if (input.n !== undefined && input.n !== 1) throw bad('Only n=1 is supported', 'n');
  if (!Array.isArray(input.messages) || input.messages.length === 0) throw bad('messages must be a non-empty array', 'messages');

  const system: string[] = [];
  const messages: ChatMessage[] = [];
  input.messages.forEach((raw, index) => {
    const message = raw as { role?: unknown; content?: unknown };
    const content = textOf(message?.content, `messages[${index}].content`);
    if (message?.role === 'system' || message?.role === 'developer') system.push(content);
    else if (message?.role === 'user' || message?.role === 'assistant') messages.push({ role: message.role, content });
    else throw bad(`messages[${index}].role must be system, developer, user or assistant`, `messages[${index}].role`);
  });

  const maxTokens = input.max_completion_tokens ?? input.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null && (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)) {
    throw bad('max_tokens must be a positive integer', 'max_tokens');
  }
  const stop = typeof input.stop === 'string' ? [input.stop] : input.stop;
  if (stop !== undefined && stop !== null && (!Array.isArray(stop) || stop.length > 4 || stop.some((s) => typeof s !== 'string'))) {
    throw bad('stop must be a string or up to 4 strings', 'stop');
  }
  const streamOptions = input.stream_options as { include_usage?: unknown } | undefined | null;
  return {
    request: {
      model: input.model,
      system: systemPrompt(system),
      messages,
      maxTokens: (maxTokens as number | null | undefined) ?? undefined,
      temperature: numberIn(input.temperature, 0, 2, 'temperature'),
      topP: numberIn(input.top_p, 0, 1, 'top_p'),
      stop: (stop as string[] | null | undefined) ?? undefined,
    },
    stream: input.stream === true,
    includeUsage: streamOptions?.include_usage === true,
  };
}

function textOf(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: { type?: unknown; text?: unknown }, index) => {
        if (part?.type !== 'text' || typeof part.text !== 'string') {
          const kind = typeof part?.type === 'string' ? ` (${part.type})` : '';
          throw bad(`Only text content parts are supported for this model; ${param}[${index}]${kind} is not text`, `${param}[${index}]`);
        }
        return part.text;
      })
      .join('');
  }
  throw bad(`${param} must be a string or an array of text parts`, param);
}

function numberIn(value: unknown, min: number, max: number, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || value < min || value > max) throw bad(`${param} must be a number from ${min} to ${max}`, param);
  return value;
}

const FINISH: Record<FinishReason, string> = { stop: 'stop', stop_sequence: 'stop', length: 'length', content_filter: 'content_filter' };

export function openAiUsage(usage: TokenUsage) {
  return { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
}

export function openAiCompletion(id: string, model: string, created: Date, content: string, finishReason: FinishReason, usage: TokenUsage) {
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(created.getTime() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: FINISH[finishReason] }],
    usage: openAiUsage(usage),
  };
}

/** One `chat.completion.chunk`; `delta` and `finish` as OpenAI streams them. */
export function openAiChunk(
  id: string,
  model: string,
  created: Date,
  delta: { role?: 'assistant'; content?: string },
  finishReason: FinishReason | null,
) {
  return {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(created.getTime() / 1000),
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason ? FINISH[finishReason] : null }],
  };
}

export function openAiUsageChunk(id: string, model: string, created: Date, usage: TokenUsage) {
  return { id, object: 'chat.completion.chunk', created: Math.floor(created.getTime() / 1000), model, choices: [], usage: openAiUsage(usage) };
}
