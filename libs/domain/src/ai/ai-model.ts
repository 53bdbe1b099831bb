import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';
import type { RoutingPolicy } from './channel';
import type { ProviderName, TokenUsage } from './chat';

/** A model as the catalogue offers it: where it runs, how much it holds and what it costs. */
export interface AiModel {
  /** The public id clients ask for. */
  id: string;
  provider: ProviderName;
  /** The provider's own name for it. */
  upstreamModel: string;
  aliases: string[];
  contextWindow: number;
  maxOutputTokens: number;
  /** Credits per 1,000 tokens. */
  inputPrice: Credits;
  outputPrice: Credits;
  /** Credits per 1,000 input tokens read from the provider's prompt cache; absent = the input price. */
  cachedInputPrice?: Credits | null;
  enabled: boolean;
  /** Answers instead when this model's provider is down or its retries are spent. */
  fallbackModelId: string | null;
  /** How calls choose among the channels serving the model; absent = `priority`. */
  routingPolicy?: RoutingPolicy;
}

const PER_THOUSAND = 1000n;

/**
 * Exact cost of a call: tokens × price per 1,000, rounded up to the next milli-credit. Input read
 * from the provider's prompt cache is billed at the model's cache price, when it has one.
 */
export function costOf(model: Pick<AiModel, 'inputPrice' | 'outputPrice' | 'cachedInputPrice'>, usage: TokenUsage): Credits {
  const cached = BigInt(Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens));
  const cachePrice = (model.cachedInputPrice ?? model.inputPrice).millis;
  const numerator =
    (BigInt(usage.inputTokens) - cached) * model.inputPrice.millis + cached * cachePrice + BigInt(usage.outputTokens) * model.outputPrice.millis;
  return Credits.fromMillis((numerator + PER_THOUSAND - 1n) / PER_THOUSAND);
}

/**
 * The tokens a call may produce: what the client asked for, clamped to the model's own limit (a
 * client asking for "as much as you can" is served, not refused), else the model's limit capped by
 * the hub's default, so an open-ended request does not hold a fortune.
 */
export function outputBudget(model: Pick<AiModel, 'maxOutputTokens'>, requested: number | undefined, defaultCap: number): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1) throw DomainError.badInput('max_tokens must be a positive integer', { field: 'max_tokens' });
    return Math.min(requested, model.maxOutputTokens);
  }
  return Math.min(model.maxOutputTokens, defaultCap);
}

/** Refuses, before any provider is called, a request that cannot fit the model's context window. */
export function assertFitsContext(model: Pick<AiModel, 'id' | 'contextWindow'>, promptTokens: number, maxTokens: number): void {
  if (promptTokens + maxTokens > model.contextWindow) {
    throw new DomainError(
      'CONTEXT_LENGTH_EXCEEDED',
      `This request needs about ${promptTokens + maxTokens} tokens (${promptTokens} prompt + ${maxTokens} max output) but ${model.id} has a context window of ${model.contextWindow}`,
      { promptTokens, maxTokens, contextWindow: model.contextWindow },
    );
  }
}
