import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import {
  AiModel,
  DomainError,
  endpointProtocol,
  estimateTokens,
  isMetered,
  isUsageOnlyChunk,
  PassthroughEndpoint,
  PassthroughProvider,
  PassthroughReply,
  planForward,
  ProviderFailure,
  ProviderName,
  SseEvent,
  TokenUsage,
  UsageMeter,
} from '@sah/domain';
import { UpstreamAborted } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { AiCaller, ChatGateway, isDeadlineCut, lateFailure, Prepared, walletOf } from './chat-gateway.service';
import { ModelCatalog } from './model-catalog';
import { ProviderCaller } from './provider-caller';
import { SettlementsAfterReply } from './settlements-after-reply';

/** The injection token of the same-format adapters (`PassthroughProvider[]`, one per protocol). */
export const PASSTHROUGH_PROVIDERS = 'AI_PASSTHROUGH_PROVIDERS';

export interface PassthroughCall {
  endpoint: PassthroughEndpoint;
  /** The client's body, parsed but untouched. */
  body: Record<string, unknown>;
  /** Provider headers the client sent (`anthropic-version`, `anthropic-beta`, `openai-beta`). */
  headers: Record<string, string>;
}

export type Forwarded =
  | { kind: 'json'; status: number; contentType: string; body: Buffer }
  /** Each item is one SSE event as the provider wrote it, without its closing blank line. */
  | { kind: 'stream'; contentType: string; events: AsyncGenerator<string> };

interface Opened {
  reply: PassthroughReply;
  iterator?: AsyncIterator<SseEvent>;
  first?: IteratorResult<SseEvent>;
}

/**
 * Same-format passthrough: a request in the format of the model's own provider goes there as the
 * client sent it (the provider's model name and the hub's output cap written in), and the reply comes
 * back as the provider wrote it, read on the way only for usage. Holds, retries, fallback within the
 * protocol, capture and usage records are the chat gateway's, so both paths meter alike; a call that
 * answered is settled just after its answer has gone out (SettlementsAfterReply), not before.
 */
@Injectable()
export class PassthroughGateway implements OnModuleDestroy {
  private readonly providers: Map<ProviderName, PassthroughProvider>;

  constructor(
    @Inject(PASSTHROUGH_PROVIDERS) providers: PassthroughProvider[],
    private readonly catalog: ModelCatalog,
    private readonly caller: ProviderCaller,
    private readonly gateway: ChatGateway,
    private readonly config: AppConfig,
    private readonly settlements: SettlementsAfterReply,
  ) {
    this.providers = new Map(providers.map((provider) => [provider.protocol, provider]));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.providers.values()].map((provider) => provider.close()));
  }

  /**
   * Whether this request goes through as it is: its model is served by a provider speaking the
   * endpoint's format. A request the translating path understands still takes that path when the
   * model's fallback speaks another protocol, so it keeps its fallback.
   */
  async passesThrough(endpoint: PassthroughEndpoint, body: unknown, translatable: () => boolean): Promise<boolean> {
    const name = (body as { model?: unknown } | null)?.model;
    if (typeof name !== 'string' || !name) return false;
    const model = await this.catalog.resolve(name);
    if (model.provider !== endpointProtocol(endpoint)) return false;
    const fallback = await this.catalog.fallbackOf(model);
    return !(fallback && fallback.provider !== model.provider && translatable());
  }

  /** Whether the body names a model (known, enabled) that a provider of this protocol serves. */
  async servedBy(protocol: ProviderName, body: unknown): Promise<boolean> {
    const name = (body as { model?: unknown } | null)?.model;
    return typeof name === 'string' && !!name && (await this.catalog.resolve(name)).provider === protocol;
  }

  async forward(caller: AiCaller, call: PassthroughCall, signal: AbortSignal): Promise<Forwarded> {
    const protocol = endpointProtocol(call.endpoint);
    const name = call.body['model'];
    if (typeof name !== 'string' || !name) throw DomainError.badInput('model: Field required', { param: 'model' });
    const model = await this.catalog.resolve(name);
    if (model.provider !== protocol) {
      throw DomainError.badInput(`The model '${name}' is not served in this format; use its provider's endpoint`, { param: 'model' });
    }
    const plan = planForward(call.endpoint, call.body, model, this.config.ai.defaultMaxTokens);
    const provider = this.providers.get(protocol) as PassthroughProvider;
    const send = (target: AiModel, apiKey: string, baseUrl: string | undefined) =>
      provider.send({ endpoint: call.endpoint, body: plan.bodyFor(target), stream: plan.stream, headers: call.headers }, { apiKey, signal, baseUrl });
    const sameProtocol = (target: AiModel) => target.provider === protocol;

    if (!isMetered(call.endpoint)) {
      await caller.countRequest?.();
      const { value } = await this.caller.call(model, signal, (_provider, target, apiKey, { baseUrl }) => send(target, apiKey, baseUrl), sameProtocol);
      if (value.kind !== 'json') throw new ProviderFailure('invalid_request', 'The provider streamed an answer that was not asked to stream');
      return value;
    }

    const prepared = await this.gateway.holdFor(caller, model, plan.promptTokens, plan.outputTokens);
    let attempts = 0;
    let opened;
    try {
      // Retries and fallback apply only until the first event: nothing has reached the client yet.
      opened = await this.caller.call(
        model,
        signal,
        async (_provider, target, apiKey, { baseUrl }): Promise<Opened> => {
          attempts += 1;
          const reply = await send(target, apiKey, baseUrl);
          if (reply.kind === 'json') return { reply };
          const iterator = reply.events[Symbol.asyncIterator]();
          return { reply, iterator, first: await iterator.next() };
        },
        sameProtocol,
      );
    } catch (error) {
      await this.gateway.fail(caller, prepared, plan.stream, error, signal, attempts);
      throw error instanceof UpstreamAborted ? new DomainError('BAD_USER_INPUT', 'The request was cancelled') : error;
    }

    const { reply, iterator, first } = opened.value;
    prepared.channel = opened.channel;
    const meter = plan.meter();
    if (reply.kind === 'json') {
      const text = reply.body.toString('utf8');
      meter.readBody(parseJson(text));
      // A provider that reports no usage is charged by the hub's count.
      const usage = meter.usage ?? { inputTokens: plan.promptTokens, outputTokens: estimateTokens(text) };
      this.settleAfterReply(caller, prepared, { model: opened.model, usage, usageEstimated: !meter.usage, stream: false, status: 'ok', attempts, ttftMs: null });
      return reply;
    }
    const ttftMs = Date.now() - prepared.started;
    const relay = this.relay(caller, prepared, opened.model, attempts, ttftMs, signal, {
      iterator: iterator as AsyncIterator<SseEvent>,
      first: first as IteratorResult<SseEvent>,
      meter,
      promptTokens: plan.promptTokens,
      hidesUsageChunk: plan.hidesUsageChunk,
    });
    return { kind: 'stream', contentType: reply.contentType, events: relay };
  }

  /** A call that answered: its capture and usage record go out once the answer has (failures are logged). */
  private settleAfterReply(caller: AiCaller, prepared: Prepared, outcome: Parameters<ChatGateway['settle']>[2]): void {
    const context = { hold_id: prepared.hold.id, user_id: caller.userId, model: outcome.model.id };
    this.settlements.run(walletOf(caller), context, () => this.gateway.settle(caller, prepared, outcome));
  }

  /** The provider's events as they come, metered; settles once, however the stream ends. */
  private async *relay(
    caller: AiCaller,
    prepared: Prepared,
    model: AiModel,
    attempts: number,
    ttftMs: number,
    signal: AbortSignal,
    upstream: {
      iterator: AsyncIterator<SseEvent>;
      first: IteratorResult<SseEvent>;
      meter: UsageMeter;
      promptTokens: number;
      hidesUsageChunk: boolean;
    },
  ): AsyncGenerator<string> {
    const { meter } = upstream;
    // What reached the client, counted as the hub counts text (about 4 characters a token).
    const produced = (): TokenUsage => ({ inputTokens: upstream.promptTokens, outputTokens: Math.ceil(meter.producedChars / 4) });
    let settled = false;
    let failure: unknown;
    try {
      for (let next = upstream.first; !next.done; next = await upstream.iterator.next()) {
        const event = next.value;
        const data = event.data !== undefined && event.data !== '[DONE]' ? parseJson(event.data) : undefined;
        if (data !== undefined) meter.readEvent(data);
        if (!(upstream.hidesUsageChunk && isUsageOnlyChunk(data))) yield event.raw;
      }
      // An aborted request's body can simply end: that is not a finished answer.
      if (signal.aborted) throw new UpstreamAborted();
      settled = true;
      this.settleAfterReply(caller, prepared, { model, usage: meter.usage ?? produced(), usageEstimated: !meter.usage, stream: true, status: 'ok', attempts, ttftMs });
    } catch (error) {
      failure = error instanceof ProviderFailure ? lateFailure(error) : error;
      if (!(error instanceof UpstreamAborted)) throw failure;
    } finally {
      // Reached when the stream ends, fails, or the reader stops early (client gone).
      if (!settled) {
        await upstream.iterator.return?.().catch(() => undefined);
        if (signal.aborted || failure instanceof UpstreamAborted || failure === undefined) {
          await this.gateway.settle(caller, prepared, { model, usage: produced(), stream: true, status: 'aborted', attempts, ttftMs });
        } else if (isDeadlineCut(failure) && meter.producedChars > 0) {
          // The hub cut a provider silent past the idle deadline: what reached the client is charged.
          await this.gateway.settle(caller, prepared, { model, usage: produced(), stream: true, status: 'error', errorCode: failure.code, attempts, ttftMs });
        } else {
          await this.gateway.fail(caller, prepared, true, failure, signal, attempts);
        }
      }
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
