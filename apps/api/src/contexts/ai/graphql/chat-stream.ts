import { DomainError, isDomainError, ProviderFailure } from '@sah/domain';
import type { GatewayStreamEvent, OpenedStream } from '../application/chat-gateway.service';
import type { ChatCompletionChunkObject } from './chat-completion.object';

/** What the subscription's source yields: a chunk, or the failure that ended the stream after it began. */
export type ChatStreamItem = { chunk: ChatCompletionChunkObject } | { failure: DomainError };

/**
 * The gateway's events as subscription chunks. The last chunk comes once the gateway has charged the
 * call, with what it charged. A stream the client left ends
 * without a last chunk: nobody is listening.
 */
export async function* chatChunks(opened: OpenedStream): AsyncGenerator<ChatStreamItem> {
  let end: Extract<GatewayStreamEvent, { type: 'end' }> | undefined;
  try {
    for await (const event of opened.events) {
      if (event.type === 'delta') {
        yield { chunk: { delta: event.text, done: false, model: opened.model, finishReason: null, usage: null, credits: null } };
      } else {
        end = event;
      }
    }
  } catch (error) {
    // The gateway has recorded the failure and charged nothing. Past the first token what fails is
    // the upstream stream, and an SDK does not always type a broken connection (OpenAI's: a bare Error).
    const failure = isDomainError(error)
      ? error
      : new DomainError('PROVIDER_ERROR', `The provider failed during the stream${error instanceof ProviderFailure ? ` (${error.kind})` : ''}`);
    yield { failure };
    return;
  }
  if (!end) return;
  yield {
    chunk: { delta: null, done: true, model: opened.model, finishReason: end.finishReason, usage: end.usage, credits: end.credits.toNumber() },
  };
}

/**
 * graphql-ws calls `return()` when the client unsubscribes or goes away. An async generator would
 * notice only at its next `yield`, which may be long in coming; the upstream call is aborted here at
 * once, and the gateway then charges only what was produced.
 */
export function cancellable<T>(source: AsyncGenerator<T>, abort: AbortController): AsyncIterableIterator<T> {
  return {
    next: () => source.next(),
    return: (value?: unknown) => {
      abort.abort();
      return source.return(value as T);
    },
    throw: (error?: unknown) => {
      abort.abort();
      return source.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

