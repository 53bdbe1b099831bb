import { AiModel, ChatStreamEvent, costOf, DomainError, isDomainError, ProviderFailure } from '@sah/domain';
import { GraphQLError } from 'graphql';
import { toRestError } from '../../../platform/http/rest-error';
import type { OpenedStream } from '../application/chat-gateway.service';
import type { ChatCompletionChunkObject } from './chat-completion.object';

/** What the subscription's source yields: a chunk, or the failure that ended the stream after it began. */
export type ChatStreamItem = { chunk: ChatCompletionChunkObject } | { failure: GraphQLError };

/**
 * The gateway's events as subscription chunks. The last chunk comes once the gateway has charged the
 * call (its event stream has ended), priced with the answering model. A stream the client left ends
 * without a last chunk: nobody is listening.
 */
export async function* chatChunks(opened: OpenedStream, model: AiModel | undefined): AsyncGenerator<ChatStreamItem> {
  let end: Extract<ChatStreamEvent, { type: 'end' }> | undefined;
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
    yield { failure: codedError(failure) };
    return;
  }
  if (!end) return;
  const usage = end.usage ?? null;
  yield {
    chunk: {
      delta: null,
      done: true,
      model: opened.model,
      finishReason: end.finishReason,
      usage,
      credits: usage && model ? costOf(model, usage).toNumber() : null,
    },
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

/**
 * Subscription results do not pass through the HTTP error formatter, so errors raised here carry
 * the contract's `extensions.code` (and details) themselves.
 */
export function codedError(error: unknown): GraphQLError {
  const { code, message, details } = toRestError(error);
  return new GraphQLError(message, { extensions: { code, ...(details ? { details } : {}) } });
}
