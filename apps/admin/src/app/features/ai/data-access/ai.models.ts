/**
 * Hand-written to match the AI context's GraphQL types (apps/api/src/contexts/ai/graphql). Credit
 * figures (prices, costs) are GraphQL Floats with at most 3 decimals: the console formats them
 * (CreditsPipe) and passes them on, it never computes with them.
 */

/** `provider` values as the API names them. */
export const AI_PROVIDERS = ['openai', 'anthropic'] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

export type CircuitState = 'closed' | 'open' | 'half_open';

/** One provider as this API instance sees it (circuit and latencies are per process, recent calls). */
export interface ProviderHealth {
  readonly provider: AiProvider;
  readonly circuit: CircuitState;
  readonly consecutiveFailures: number;
  /** Calls the figures below are taken over. */
  readonly calls: number;
  /** 0..1 */
  readonly errorRate: number;
  readonly p50LatencyMs: number | null;
  readonly p95LatencyMs: number | null;
  /** Whether the provider has at least one key (configuration or database). */
  readonly keyConfigured: boolean;
}

/** An admin-managed provider credential; the key itself never leaves the API, only its end. */
export interface ProviderKey {
  readonly id: string;
  readonly provider: AiProvider;
  readonly label: string;
  readonly last4: string;
  readonly enabled: boolean;
  /** ISO date-time. */
  readonly createdAt: string;
}

export interface AddProviderKeyInput {
  readonly provider: AiProvider;
  readonly label: string;
  readonly apiKey: string;
}

export interface AiModel {
  /** The public id clients ask for. */
  readonly id: string;
  readonly provider: AiProvider;
  /** The provider's own name for it. */
  readonly upstreamModel: string;
  readonly aliases: readonly string[];
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
  /** Credits per 1,000 input tokens. */
  readonly inputPricePer1k: number;
  /** Credits per 1,000 output tokens. */
  readonly outputPricePer1k: number;
  readonly enabled: boolean;
  /** Answers instead when this model's provider is down or its retries are spent. */
  readonly fallbackModelId: string | null;
}

/** `createAiModel(input)`: every field of a model. */
export interface CreateAiModelInput {
  readonly id: string;
  readonly provider: AiProvider;
  readonly upstreamModel: string;
  readonly aliases: readonly string[];
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
  readonly inputPricePer1k: number;
  readonly outputPricePer1k: number;
  readonly enabled: boolean;
  readonly fallbackModelId: string | null;
}

/** `updateAiModel(input)`: the model's id and the fields to change. */
export type UpdateAiModelInput = Partial<Omit<CreateAiModelInput, 'id'>> & { readonly id: string };

export const USAGE_GROUPS = ['DAY', 'MODEL', 'PROVIDER', 'USER', 'TEAM'] as const;
export type UsageGroupBy = (typeof USAGE_GROUPS)[number];

/** `UsageSummaryFilterInput`; the API defaults to the last 30 days by day. */
export interface UsageFilter {
  /** ISO date-time, inclusive. */
  readonly from?: string;
  /** ISO date-time, exclusive; at most 366 days after `from`. */
  readonly to?: string;
  readonly groupBy: UsageGroupBy;
}

export interface UsageFigures {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Credits charged. */
  readonly credits: number;
  /** Over successful calls; null when there were none. */
  readonly avgLatencyMs: number | null;
  readonly p95LatencyMs: number | null;
  /** Failed calls / calls, 0..1 (cancelled calls are not failures). */
  readonly errorRate: number;
}

export interface UsageRow extends UsageFigures {
  /** The group: a day (YYYY-MM-DD, UTC), a model id, a provider, a user id or a team id. */
  readonly key: string;
}

export interface UsageSummary {
  /** What the rows are grouped by (the breakdown shown may change while the next one loads). */
  readonly groupBy: UsageGroupBy;
  /** Days earliest first; other groups largest spend first. */
  readonly rows: readonly UsageRow[];
  /** Each call once, whatever the grouping. */
  readonly totals: UsageFigures;
  /** More groups matched than were returned (the largest are kept). */
  readonly truncated: boolean;
}

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface ChatInput {
  readonly model: string;
  readonly system?: string;
  readonly messages: readonly ChatMessage[];
  readonly maxTokens?: number;
  readonly temperature?: number;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One event of `chatCompletionStream`: text as it comes, then a last one (`done`) with usage and cost. */
export interface ChatStreamChunk {
  /** New text; null on the last chunk. */
  readonly delta: string | null;
  readonly done: boolean;
  /** The model that answers: the one asked for, or its fallback. */
  readonly model: string;
  /** Last chunk only. */
  readonly finishReason: string | null;
  /** Last chunk only. */
  readonly usage: TokenUsage | null;
  /** Last chunk only: credits charged. */
  readonly credits: number | null;
}

/** `chatCompletion`'s answer. */
export interface ChatCompletion {
  readonly id: string;
  readonly model: string;
  readonly content: string;
  /** stop, length, stop_sequence or content_filter. */
  readonly finishReason: string;
  readonly usage: TokenUsage;
  readonly credits: number;
}
