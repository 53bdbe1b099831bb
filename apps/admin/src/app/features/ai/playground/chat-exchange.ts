import type { ChatCompletion, ChatMessage, ChatStreamChunk, TokenUsage } from '../data-access/ai.types';

export type ExchangeStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'error';

/** One prompt and its answer, as the playground shows them. */
export interface ChatExchange {
  readonly id: number;
  readonly prompt: string;
  /** The model asked for. */
  readonly requestedModel: string;
  readonly answer: string;
  readonly status: ExchangeStatus;
  /** The model that answered (a fallback may stand in); known from the first chunk. */
  readonly model: string | null;
  readonly finishReason: string | null;
  readonly usage: TokenUsage | null;
  /** Credits charged, as the API reported them. */
  readonly credits: number | null;
  readonly error: string | null;
  /** The API's error code, e.g. INSUFFICIENT_CREDITS. */
  readonly errorCode: string | null;
}

export function startExchange(id: number, prompt: string, requestedModel: string): ChatExchange {
  return {
    id,
    prompt,
    requestedModel,
    answer: '',
    status: 'waiting',
    model: null,
    finishReason: null,
    usage: null,
    credits: null,
    error: null,
    errorCode: null,
  };
}

/** Folds one streamed chunk into the exchange. */
export function applyChunk(exchange: ChatExchange, chunk: ChatStreamChunk): ChatExchange {
  if (chunk.done) {
    return {
      ...exchange,
      status: 'done',
      model: chunk.model,
      finishReason: chunk.finishReason,
      usage: chunk.usage,
      credits: chunk.credits,
    };
  }
  return { ...exchange, status: 'streaming', model: chunk.model, answer: exchange.answer + (chunk.delta ?? '') };
}

export function applyCompletion(exchange: ChatExchange, completion: ChatCompletion): ChatExchange {
  return {
    ...exchange,
    status: 'done',
    answer: completion.content,
    model: completion.model,
    finishReason: completion.finishReason,
    usage: completion.usage,
    credits: completion.credits,
  };
}

/**
 * The conversation so far as the next request's messages: exchanges that produced an answer (also
 * a stopped one: the model did say that), oldest first, then the new prompt.
 */
export function conversation(exchanges: readonly ChatExchange[], prompt: string): ChatMessage[] {
  const history = exchanges
    .filter((exchange) => (exchange.status === 'done' || exchange.status === 'stopped') && exchange.answer !== '')
    .flatMap((exchange): ChatMessage[] => [
      { role: 'user', content: exchange.prompt },
      { role: 'assistant', content: exchange.answer },
    ]);
  return [...history, { role: 'user', content: prompt }];
}
