import type {
  AiChannelFieldsFragment,
  AiModelFieldsFragment,
  AiProviderHealthQuery,
  AiProviderKeyFieldsFragment,
  ChatCompletionInput,
  ChatCompletionMutation,
  ChatCompletionStreamSubscription,
  TestAiChannelMutation,
  UsageGroupBy,
  UsageSummaryFilterInput,
  UsageSummaryQuery,
} from '../../../core/graphql/operations.generated';

/**
 * The AI pages' names for the generated operation types (ai.graphql), narrowed where the API sends a
 * documented string, and the option lists the pages offer. Credit figures (prices, costs) are GraphQL
 * Floats with at most 3 decimals: the console formats them (CreditsPipe), it never computes with them.
 */

export type {
  AddAiProviderKeyInput as AddProviderKeyInput,
  CreateAiChannelInput,
  CreateAiModelInput,
  UpdateAiChannelInput,
  UpdateAiModelInput,
  UsageGroupBy,
} from '../../../core/graphql/operations.generated';

/** `provider` is a String in the schema; these are the providers the API serves. */
export const AI_PROVIDERS = ['openai', 'anthropic', 'gemini'] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

export function isAiProvider(value: string): value is AiProvider {
  return (AI_PROVIDERS as readonly string[]).includes(value);
}

/** How a model's calls choose among its channels (`AiModel.routingPolicy`). */
export const ROUTING_POLICIES = ['priority', 'cost', 'latency'] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/** `AiProviderHealth.circuit`'s documented values. */
export type CircuitState = 'closed' | 'open' | 'half_open';

export type ProviderHealth = AiProviderHealthQuery['aiProviderHealth'][number];
/** A channel as the provider health page shows it: its routing fields and this API instance's figures. */
export type ProviderChannel = NonNullable<ProviderHealth['channels']>[number];
export type ProviderKey = AiProviderKeyFieldsFragment;
export type AiModel = AiModelFieldsFragment;
export type AiChannel = AiChannelFieldsFragment;
export type AiChannelTest = TestAiChannelMutation['testAiChannel'];

export const USAGE_GROUPS = ['DAY', 'MODEL', 'PROVIDER', 'USER', 'TEAM'] as const satisfies readonly UsageGroupBy[];

/** `UsageSummaryFilterInput` with the grouping always chosen. */
export type UsageFilter = UsageSummaryFilterInput & { readonly groupBy: UsageGroupBy };
export type UsageSummary = UsageSummaryQuery['usageSummary'];
export type UsageRow = UsageSummary['rows'][number];
export type UsageFigures = UsageSummary['totals'];

export type ChatInput = ChatCompletionInput;
export type ChatMessage = ChatInput['messages'][number];
export type ChatCompletion = ChatCompletionMutation['chatCompletion'];
export type ChatStreamChunk = ChatCompletionStreamSubscription['chatCompletionStream'];
export type TokenUsage = ChatCompletion['usage'];
