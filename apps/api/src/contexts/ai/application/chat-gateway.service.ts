import { Injectable } from '@nestjs/common';
import {
  AiModel,
  assertFitsContext,
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  costOf,
  Credits,
  DomainError,
  estimatePromptTokens,
  estimateTokens,
  FinishReason,
  outputBudget,
  ProviderFailure,
  ProviderRequest,
  Role,
  TokenUsage,
} from '@sah/domain';
import { CreditHold, UpstreamAborted, UsageRecord, UsageRecordRepository } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { LedgerService } from '../../billing/application/ledger.service';
import { SpendingBudget, spendingBudgetOf } from '../../billing/application/spending-budget';
import { CountedRequest, PlanRequestCap } from '../../billing/plans/application/plan-request-cap';
import { ApiKeyTokenLimit } from './api-key-token-limit';
import { ModelCatalog } from './model-catalog';
import { ProviderCaller } from './provider-caller';
import { SettlementsAfterReply } from './settlements-after-reply';

export interface AiCaller {
  userId: string;
  /** The caller's role: staff who run the gateway are not held to a plan's request cap. */
  role: Role;
  apiKeyId: string | null;
  endpoint: UsageRecord['endpoint'];
  /** The key's monthly credit budget, checked where the call's credits are held. */
  budget?: SpendingBudget | null;
  /** The key's tokens-per-minute limit, checked on the call's estimate before its hold. */
  tokensPerMinute?: number | null;
  /** A team key's team: the call spends its wallet, `userId` being the member who spends. */
  teamId?: string | null;
  /**
   * Starts the request's rate-limit count, when the guard left it to the gateway
   * (@RateLimitAwaitedByHandler): sent with the call's other rates, awaited before any provider call.
   */
  countRequest?: () => Promise<void>;
}

/** The wallet a call spends: a team key's team wallet, otherwise the user's own account. */
export function walletOf(caller: AiCaller): string {
  return caller.teamId ? `team:${caller.teamId}` : `user:${caller.userId}`;
}

/** Who pays for a call: the authenticated user (and the API key it came with, if any, with its limits) on `endpoint`. */
export function aiCaller(
  principal: {
    userId: string;
    role: Role;
    apiKeyId?: string | null;
    apiKeyMonthlyCreditBudget?: Credits | null;
    apiKeyTokensPerMinute?: number | null;
    apiKeyTeamId?: string | null;
  },
  endpoint: AiCaller['endpoint'],
  countRequest?: () => Promise<void>,
): AiCaller {
  return {
    userId: principal.userId,
    role: principal.role,
    apiKeyId: principal.apiKeyId ?? null,
    endpoint,
    budget: spendingBudgetOf(principal),
    tokensPerMinute: principal.apiKeyId ? (principal.apiKeyTokensPerMinute ?? null) : null,
    teamId: principal.apiKeyId ? (principal.apiKeyTeamId ?? null) : null,
    countRequest,
  };
}

export interface CompletedChat extends ChatResult {
  /** The provider's count, or the hub's estimate when it reported none. */
  usage: TokenUsage;
  credits: Credits;
}

/** The gateway's stream: deltas, then one `end` once the call is paid for, with what it cost. */
export type GatewayStreamEvent =
  | Extract<ChatStreamEvent, { type: 'delta' }>
  | { type: 'end'; finishReason: FinishReason; usage: TokenUsage; credits: Credits };

export interface OpenedStream {
  id: string;
  /** The model that answers (the requested one or its fallback). */
  model: string;
  created: Date;
  /** Deltas, then one `end`. Stop reading (or abort the signal) to cut the upstream stream. */
  events: AsyncGenerator<GatewayStreamEvent>;
}

/** Tokenizers differ from our estimate; the hold covers twice it, and the rest comes back at capture. */
const HOLD_PROMPT_FACTOR = 2;

/** A call that got its hold: what was held for it, and when it started. */
export interface Prepared {
  model: AiModel;
  promptTokens: number;
  maxTokens: number;
  hold: CreditHold;
  started: number;
  /** Counted against the key's tokens-per-minute limit under this id (corrected when settled), if it has one. */
  tokenCount: { apiKeyId: string; id: string } | null;
  /** The channel that answered, once one has (named in the usage record). */
  channel?: { id: string; name: string };
}

/**
 * Every AI call of every entry point (OpenAI- and Anthropic-compatible REST, GraphQL, WebSocket,
 * MCP): the model is resolved and the request checked against its context window, the most the call
 * can cost is held (402 before any provider call), the provider is called with retries and fallback,
 * and the actual usage is captured and the rest released. Every call that got its hold leaves a usage
 * record (one refused before that, e.g. unknown model or too few credits, leaves none).
 */
@Injectable()
export class ChatGateway {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly caller: ProviderCaller,
    private readonly ledger: LedgerService,
    private readonly usage: UsageRecordRepository,
    private readonly config: AppConfig,
    private readonly tokenLimit: ApiKeyTokenLimit,
    private readonly requestCap: PlanRequestCap,
    private readonly settlements: SettlementsAfterReply,
  ) {}

  async complete(caller: AiCaller, request: ChatRequest, signal: AbortSignal = new AbortController().signal): Promise<CompletedChat> {
    const prepared = await this.prepare(caller, request);
    // The caller runs `attempt` once per provider call; counted here so a failed call records its tries too.
    let attempts = 0;
    try {
      const { value: result, model, channel } = await this.caller.call(prepared.model, signal, (provider, target, apiKey, { baseUrl }) => {
        attempts += 1;
        return provider.complete(this.providerRequest(request, target, prepared), { apiKey, signal, baseUrl });
      });
      prepared.channel = channel;
      // A provider that reports no usage is charged by the hub's count, as a stream without one is:
      // the prompt as the hold estimated it and the answer's text, never a free call.
      const usage = result.usage ?? { inputTokens: prepared.promptTokens, outputTokens: estimateTokens(result.content) };
      const credits = await this.settle(caller, prepared, {
        model,
        usage,
        usageEstimated: !result.usage,
        stream: false,
        status: 'ok',
        attempts,
        ttftMs: null,
      });
      return { ...result, usage, model: model.id, credits };
    } catch (error) {
      await this.fail(caller, prepared, false, error, signal, attempts);
      throw error instanceof UpstreamAborted ? new DomainError('BAD_USER_INPUT', 'The request was cancelled') : error;
    }
  }

  async stream(caller: AiCaller, request: ChatRequest, signal: AbortSignal): Promise<OpenedStream> {
    const prepared = await this.prepare(caller, request);
    let opened;
    let attempts = 0;
    try {
      // Retries and fallback apply only until the first event: nothing has reached the client yet.
      opened = await this.caller.call(prepared.model, signal, async (provider, target, apiKey, { baseUrl }) => {
        attempts += 1;
        const iterator = provider.stream(this.providerRequest(request, target, prepared), { apiKey, signal, baseUrl })[Symbol.asyncIterator]();
        return { iterator, first: await iterator.next() };
      });
      prepared.channel = opened.channel;
    } catch (error) {
      await this.fail(caller, prepared, true, error, signal, attempts);
      throw error instanceof UpstreamAborted ? new DomainError('BAD_USER_INPUT', 'The request was cancelled') : error;
    }
    const ttftMs = Date.now() - prepared.started;
    return {
      id: randomUUID(),
      model: opened.model.id,
      created: new Date(),
      events: this.relay(caller, prepared, opened.model, attempts, opened.value, ttftMs, signal),
    };
  }

  private async *relay(
    caller: AiCaller,
    prepared: Prepared,
    model: AiModel,
    attempts: number,
    upstream: { iterator: AsyncIterator<ChatStreamEvent>; first: IteratorResult<ChatStreamEvent> },
    ttftMs: number,
    signal: AbortSignal,
  ): AsyncGenerator<GatewayStreamEvent> {
    let produced = '';
    let settled = false;
    let failure: unknown;
    try {
      for (let next = upstream.first; !next.done; next = await upstream.iterator.next()) {
        const event = next.value;
        if (event.type === 'delta') {
          produced += event.text;
          yield event;
        } else {
          // A provider that reports no usage is charged by count: the client sees what it pays.
          const usage = event.usage ?? { inputTokens: prepared.promptTokens, outputTokens: estimateTokens(produced) };
          settled = true;
          const credits = await this.settle(caller, prepared, { model, usage, usageEstimated: !event.usage, stream: true, status: 'ok', attempts, ttftMs });
          yield { type: 'end', finishReason: event.finishReason, usage, credits };
        }
      }
    } catch (error) {
      failure = error instanceof ProviderFailure ? lateFailure(error) : error;
      if (!(error instanceof UpstreamAborted)) throw failure;
    } finally {
      // Reached when the stream ends, fails, or the reader stops early (client gone).
      if (!settled) {
        await upstream.iterator.return?.().catch(() => undefined);
        const usage = { inputTokens: prepared.promptTokens, outputTokens: estimateTokens(produced) };
        if (signal.aborted || failure instanceof UpstreamAborted || failure === undefined) {
          await this.settle(caller, prepared, { model, usage, stream: true, status: 'aborted', attempts, ttftMs });
        } else if (isDeadlineCut(failure) && produced) {
          // The hub cut a provider that went silent past the idle deadline, as it would for a client
          // that left: what reached the client is charged, the rest of the hold released.
          await this.settle(caller, prepared, { model, usage, stream: true, status: 'error', errorCode: failure.code, attempts, ttftMs });
        } else {
          await this.fail(caller, prepared, true, failure, signal, attempts);
        }
      }
    }
  }

  private async prepare(caller: AiCaller, request: ChatRequest): Promise<Prepared> {
    if (request.messages.length === 0) throw DomainError.badInput('messages must not be empty', { field: 'messages' });
    const model = await this.catalog.resolve(request.model);
    const maxTokens = outputBudget(model, request.maxTokens, this.config.ai.defaultMaxTokens);
    const promptTokens = estimatePromptTokens(request);
    assertFitsContext(model, promptTokens, maxTokens);
    return this.holdFor(caller, model, promptTokens, maxTokens);
  }

  /**
   * Holds the most a call can cost: the prompt estimate (twice, tokenizers differ) and the output
   * cap at the pricier of the model and its fallback. 429 or 402 here, before any provider call.
   */
  async holdFor(caller: AiCaller, model: AiModel, promptTokens: number, maxTokens: number): Promise<Prepared> {
    try {
      return await this.holdOnce(caller, model, promptTokens, maxTokens);
    } catch (error) {
      // Earlier calls of this wallet that answered may still hold their ceilings (settled just after
      // their answers): a refusal is final only once they have given back what they did not use.
      if (error instanceof DomainError && (await this.settlements.drain(walletOf(caller)))) return this.holdOnce(caller, model, promptTokens, maxTokens);
      throw error;
    }
  }

  private async holdOnce(caller: AiCaller, model: AiModel, promptTokens: number, maxTokens: number): Promise<Prepared> {
    const fallback = await this.catalog.fallbackOf(model);
    const priciest = {
      inputPrice: maxCredits(model.inputPrice, fallback?.inputPrice),
      outputPrice: maxCredits(model.outputPrice, fallback?.outputPrice),
    };
    const ceiling = costOf(priciest, { inputTokens: promptTokens * HOLD_PROMPT_FACTOR, outputTokens: maxTokens });
    const started = Date.now();
    const tokenCount = caller.apiKeyId && caller.tokensPerMinute ? { apiKeyId: caller.apiKeyId, id: randomUUID() } : null;
    // The rates (Redis: the key's tokens per minute, the plan's monthly request cap) and the hold
    // (PostgreSQL: credits, the key's budget, team limits) are counted at once, so the call waits for
    // the slower of the two stores, not both in turn. Any refusal takes back what the others counted or
    // held, so a call refused for its rate briefly holds credits (one hold written and released);
    // a rate refusal is the one reported (429 before 402), as if the rates had been asked first.
    const [rates, held] = await Promise.allSettled([
      this.admitRates(caller, tokenCount, promptTokens + maxTokens),
      // A free model holds nothing; the ledger refuses empty holds, so hold the smallest unit.
      this.ledger.hold({
        userId: caller.userId,
        amount: ceiling.isPositive() ? ceiling : Credits.fromMillis(1),
        description: `AI ${model.id}`,
        metadata: { endpoint: caller.endpoint, model: model.id },
        budget: caller.budget,
        teamId: caller.teamId,
        // Relaxed, so that the account's (or the team wallet's) row lock is not held across a WAL flush:
        // the call's usage record, written durably right after its capture, flushes the hold and the
        // capture with it (the WAL is written in order). A database crash that loses the hold leaves the
        // call uncharged, as a database still down when a call ends does.
        commit: 'relaxed',
      }),
    ]);
    if (rates.status === 'fulfilled' && held.status === 'fulfilled') {
      return { model, promptTokens, maxTokens, hold: held.value.hold, started, tokenCount };
    }
    await Promise.all([
      held.status === 'fulfilled' && this.ledger.release(held.value.hold.id),
      rates.status === 'fulfilled' && this.giveBackRates(tokenCount, rates.value),
    ]);
    throw rates.status === 'rejected' ? rates.reason : (held as PromiseRejectedResult).reason;
  }

  /**
   * The request's rate limits (left to the gateway by the guard), the key's tokens per minute and the
   * plan's monthly request cap, sent in the same tick and awaited at once: their Redis round trips go
   * out together. When one refuses, the others' counts are taken back; the first refusal in that order
   * is the one reported.
   */
  private async admitRates(caller: AiCaller, tokenCount: Prepared['tokenCount'], estimate: number): Promise<CountedRequest | null> {
    const [requests, tokens, request] = await Promise.allSettled([
      caller.countRequest?.(),
      tokenCount && caller.tokensPerMinute ? this.tokenLimit.take(tokenCount.apiKeyId, caller.tokensPerMinute, tokenCount.id, estimate) : null,
      this.requestCap.admit(caller.userId, caller.role),
    ]);
    if (requests.status === 'fulfilled' && tokens.status === 'fulfilled' && request.status === 'fulfilled') return request.value;
    await Promise.all([
      tokens.status === 'fulfilled' && tokenCount && this.tokenLimit.correct(tokenCount.apiKeyId, tokenCount.id, 0),
      request.status === 'fulfilled' && this.requestCap.giveBack(request.value),
    ]);
    throw [requests, tokens, request].find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')?.reason;
  }

  private async giveBackRates(tokenCount: Prepared['tokenCount'], counted: CountedRequest | null): Promise<void> {
    await Promise.all([tokenCount && this.tokenLimit.correct(tokenCount.apiKeyId, tokenCount.id, 0), this.requestCap.giveBack(counted)]);
  }

  private providerRequest(request: ChatRequest, target: AiModel, prepared: Prepared): ProviderRequest {
    return {
      upstreamModel: target.upstreamModel,
      system: request.system,
      messages: request.messages,
      maxTokens: Math.min(prepared.maxTokens, target.maxOutputTokens),
      temperature: request.temperature,
      topP: request.topP,
      stop: request.stop,
    };
  }

  /**
   * Captures what the call cost and records the usage. The hold is an estimate; when the provider
   * counted more than it covers, the rest is debited too, as far as the balance allows.
   */
  async settle(
    caller: AiCaller,
    prepared: Prepared,
    outcome: {
      model: AiModel;
      usage: TokenUsage;
      /** The usage is the hub's estimate (the provider reported none): said so in the ledger entry. */
      usageEstimated?: boolean;
      stream: boolean;
      status: 'ok' | 'aborted' | 'error';
      errorCode?: string;
      attempts: number;
      ttftMs: number | null;
    },
  ): Promise<Credits> {
    const cost = costOf(outcome.model, outcome.usage);
    const held = prepared.hold.amount;
    const cachedInputTokens = outcome.usage.cachedInputTokens ?? 0;
    const reason = `AI ${outcome.model.id}: ${outcome.usage.inputTokens} in${cachedInputTokens ? ` (${cachedInputTokens} cached)` : ''}, ${outcome.usage.outputTokens} out${outcome.usageEstimated ? ' (estimated)' : ''}`;
    const metadata = {
      model: outcome.model.id,
      inputTokens: outcome.usage.inputTokens,
      outputTokens: outcome.usage.outputTokens,
      cachedInputTokens,
      ...(outcome.usageEstimated ? { usageEstimated: true } : {}),
    };
    // The token count's correction (Redis) needs only the usage: it goes beside the capture and the
    // usage record (PostgreSQL), and is waited for with the record.
    const { tokenCount } = prepared;
    const corrected = tokenCount && this.tokenLimit.correct(tokenCount.apiKeyId, tokenCount.id, outcome.usage.inputTokens + outcome.usage.outputTokens);
    // Relaxed as the hold was: the usage record below, durable, flushes it.
    const { hold } = await this.ledger
      .capture(prepared.hold.id, cost.isGreaterThan(held) ? held : cost, { reason, metadata, commit: 'relaxed' })
      .catch((error: unknown) => (error instanceof DomainError && error.code === 'NOT_FOUND' ? this.holdLost(caller, prepared, outcome) : Promise.reject(error)));
    let charged = hold.captured;
    // A key with a budget, or spending a team's wallet, is never charged past its hold: budgets and
    // team limits count what holds took.
    if (cost.isGreaterThan(held) && !caller.budget && !caller.teamId) {
      charged = charged.plus(await this.chargeBeyondHold(caller.userId, cost.minus(held), reason, prepared.hold.id));
    }
    await Promise.all([
      corrected,
      this.usage.record({
        ...this.base(caller, prepared, outcome.model, outcome.stream),
        inputTokens: outcome.usage.inputTokens,
        outputTokens: outcome.usage.outputTokens,
        cachedInputTokens,
        creditsMillis: charged.millis,
        ttftMs: outcome.ttftMs,
        status: outcome.status,
        errorCode: outcome.errorCode ?? null,
        attempts: outcome.attempts,
        transactionId: hold.captureTransactionId,
      }),
    ]);
    return charged;
  }

  /**
   * The call's hold is gone: a database crash lost it before anything flushed it (holds commit relaxed).
   * The call is not charged: a call settled before its answer fails as it would with the database still
   * down at its end; one settled after its answer (passthrough) only has the failure logged.
   */
  private async holdLost(caller: AiCaller, prepared: Prepared, outcome: Parameters<ChatGateway['settle']>[2]): Promise<never> {
    await this.usage.record({
      ...this.base(caller, prepared, outcome.model, outcome.stream),
      inputTokens: outcome.usage.inputTokens,
      outputTokens: outcome.usage.outputTokens,
      cachedInputTokens: outcome.usage.cachedInputTokens ?? 0,
      creditsMillis: 0n,
      ttftMs: outcome.ttftMs,
      status: 'error',
      errorCode: 'HOLD_LOST',
      attempts: outcome.attempts,
      transactionId: null,
    });
    throw new DomainError('DEPENDENCY_UNAVAILABLE', 'The database restarted during this call and lost its credit hold: nothing was charged, retry the call');
  }

  private async chargeBeyondHold(userId: string, excess: Credits, reason: string, holdId: string): Promise<Credits> {
    try {
      await this.ledger.debit({ userId, type: 'usage', amount: excess, reason, metadata: { holdId, beyondHold: true } });
      return excess;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INSUFFICIENT_CREDITS') return Credits.ZERO;
      throw error;
    }
  }

  /**
   * Nothing is charged for a call that failed, even one that broke off mid-stream (a cut-off answer
   * is not billed), or that was cancelled before any output. The one exception is the hub's own idle
   * deadline cutting a silent stream (see `relay`).
   */
  async fail(
    caller: AiCaller,
    prepared: Prepared,
    stream: boolean,
    error: unknown,
    signal: AbortSignal,
    attempts: number,
  ): Promise<void> {
    await this.ledger.release(prepared.hold.id);
    if (prepared.tokenCount) await this.tokenLimit.correct(prepared.tokenCount.apiKeyId, prepared.tokenCount.id, 0);
    await this.usage.record({
      ...this.base(caller, prepared, prepared.model, stream),
      inputTokens: 0,
      outputTokens: 0,
      creditsMillis: 0n,
      ttftMs: null,
      status: signal.aborted || error instanceof UpstreamAborted ? 'aborted' : 'error',
      errorCode: error instanceof DomainError ? error.code : 'INTERNAL_SERVER_ERROR',
      attempts,
      transactionId: null,
    });
  }

  private base(caller: AiCaller, prepared: Prepared, model: AiModel, stream: boolean) {
    return {
      userId: caller.userId,
      apiKeyId: caller.apiKeyId,
      endpoint: caller.endpoint,
      model: model.id,
      provider: model.provider,
      upstreamModel: model.upstreamModel,
      stream,
      latencyMs: Date.now() - prepared.started,
      holdId: prepared.hold.id,
      channel: prepared.channel ?? null,
    };
  }
}

/** A provider failing after the stream began, in the gateway's terms (the same for every transport). */
export function lateFailure(failure: ProviderFailure): DomainError {
  // A timeout here is the hub's own idle deadline; its message says how long the provider was silent.
  const message = failure.kind === 'timeout' ? failure.message : `The provider failed during the stream (${failure.kind})`;
  return new DomainError('PROVIDER_ERROR', message, { reason: failure.kind });
}

export function isDeadlineCut(failure: unknown): failure is DomainError {
  return failure instanceof DomainError && failure.details?.['reason'] === 'timeout';
}

function maxCredits(a: Credits, b: Credits | undefined): Credits {
  return b && b.isGreaterThan(a) ? b : a;
}
