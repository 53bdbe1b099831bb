import { DomainError } from '../../shared/domain-error';
import { AiModel, assertFitsContext, outputBudget } from '../ai-model';
import type { ProviderName } from '../chat';
import { estimateBodyTokens } from './prompt-estimate';
import {
  AnthropicMessagesMeter,
  OpenAiChatMeter,
  OpenAiEmbeddingsMeter,
  OpenAiResponsesMeter,
  UnmeteredMeter,
  UsageMeter,
} from './usage-meters';

/** The provider APIs the hub forwards as they are, each to providers speaking the same protocol. */
export type PassthroughEndpoint = 'chat.completions' | 'responses' | 'embeddings' | 'messages' | 'messages.count_tokens';

interface EndpointSpec {
  protocol: ProviderName;
  /** Body fields that carry input, for the estimate before the call. */
  inputFields: readonly string[];
  /** The field that must hold the input (a non-empty array, or for some endpoints a string). */
  inputField: string;
  /** Output cap fields the client may send (the first present wins); none for endpoints that generate nothing. */
  maxTokensFields: readonly string[];
  /** Where the hub writes its cap when the client sent none; absent = the field is required. */
  insertMaxTokensAs?: string;
  /** Several answers per call (`n`) multiply the output held for. */
  choices: boolean;
  metered: boolean;
  meter: () => UsageMeter;
}

/**
 * A declarative map per endpoint, so adding an endpoint is data: which fields the hub reads (to
 * estimate, cap and meter), everything else travels untouched.
 */
const ENDPOINTS: Record<PassthroughEndpoint, EndpointSpec> = {
  'chat.completions': {
    protocol: 'openai',
    inputFields: ['messages', 'tools', 'functions'],
    inputField: 'messages',
    // max_completion_tokens is OpenAI's current name; every model of theirs accepts it.
    maxTokensFields: ['max_completion_tokens', 'max_tokens'],
    insertMaxTokensAs: 'max_completion_tokens',
    choices: true,
    metered: true,
    meter: () => new OpenAiChatMeter(),
  },
  responses: {
    protocol: 'openai',
    inputFields: ['input', 'instructions', 'tools'],
    inputField: 'input',
    maxTokensFields: ['max_output_tokens'],
    insertMaxTokensAs: 'max_output_tokens',
    choices: false,
    metered: true,
    meter: () => new OpenAiResponsesMeter(),
  },
  embeddings: {
    protocol: 'openai',
    inputFields: ['input'],
    inputField: 'input',
    maxTokensFields: [],
    choices: false,
    metered: true,
    meter: () => new OpenAiEmbeddingsMeter(),
  },
  messages: {
    protocol: 'anthropic',
    inputFields: ['messages', 'system', 'tools'],
    inputField: 'messages',
    maxTokensFields: ['max_tokens'],
    choices: false,
    metered: true,
    meter: () => new AnthropicMessagesMeter(),
  },
  'messages.count_tokens': {
    protocol: 'anthropic',
    inputFields: ['messages', 'system', 'tools'],
    inputField: 'messages',
    maxTokensFields: [],
    choices: false,
    metered: false,
    meter: () => new UnmeteredMeter(),
  },
};

export function endpointProtocol(endpoint: PassthroughEndpoint): ProviderName {
  return ENDPOINTS[endpoint].protocol;
}

export function isMetered(endpoint: PassthroughEndpoint): boolean {
  return ENDPOINTS[endpoint].metered;
}

export interface ForwardPlan {
  endpoint: PassthroughEndpoint;
  stream: boolean;
  /** The hub's estimate, for the hold and the context check. */
  promptTokens: number;
  /** The most output the call may produce (all choices together): what the hold covers. */
  outputTokens: number;
  /** The hub asked for the usage chunk itself; the client, who did not, must not see it. */
  hidesUsageChunk: boolean;
  /** The body for a given target: the client's, with the provider's model name and the hub's cap. */
  bodyFor(target: Pick<AiModel, 'upstreamModel' | 'maxOutputTokens'>): Record<string, unknown>;
  meter(): UsageMeter;
}

const bad = (message: string, param: string) => DomainError.badInput(message, { param });

/**
 * Checks what the hub must (input present, output cap a positive integer, fits the context window)
 * and plans the forward: `max_tokens` above the model's limit is clamped to it, not refused.
 */
export function planForward(
  endpoint: PassthroughEndpoint,
  body: Record<string, unknown>,
  model: Pick<AiModel, 'id' | 'contextWindow' | 'maxOutputTokens'>,
  defaultMaxTokens: number,
): ForwardPlan {
  const spec = ENDPOINTS[endpoint];
  const input = body[spec.inputField];
  const hasInput = Array.isArray(input) ? input.length > 0 : typeof input === 'string' && input.length > 0;
  if (!hasInput) throw bad(`${spec.inputField}: Field required (a non-empty array${Array.isArray(input) || spec.inputField !== 'input' ? '' : ' or string'})`, spec.inputField);
  if (body['stream'] !== undefined && body['stream'] !== null && typeof body['stream'] !== 'boolean') throw bad('stream must be a boolean', 'stream');
  const stream = body['stream'] === true;

  const capField = spec.maxTokensFields.find((field) => body[field] !== undefined && body[field] !== null);
  const requested = capField ? body[capField] : undefined;
  if (requested !== undefined && (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 1)) {
    throw bad(`${capField} must be a positive integer`, capField as string);
  }
  if (spec.maxTokensFields.length > 0 && requested === undefined && !spec.insertMaxTokensAs) {
    throw bad(`${spec.maxTokensFields[0]}: Field required`, spec.maxTokensFields[0] as string);
  }
  const generates = spec.maxTokensFields.length > 0;
  const cap = generates ? outputBudget(model, requested as number | undefined, defaultMaxTokens) : 0;
  const n = spec.choices ? body['n'] : undefined;
  if (n !== undefined && n !== null && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128)) throw bad('n must be an integer from 1 to 128', 'n');
  const choices = typeof n === 'number' ? n : 1;

  const promptTokens = estimateBodyTokens(body, spec.inputFields);
  if (generates) assertFitsContext(model, promptTokens, cap);

  const streamOptions = body['stream_options'];
  const clientWantsUsage = typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as Record<string, unknown>)['include_usage'] === true;
  const hidesUsageChunk = endpoint === 'chat.completions' && stream && !clientWantsUsage;

  return {
    endpoint,
    stream,
    promptTokens,
    outputTokens: cap * choices,
    hidesUsageChunk,
    meter: spec.meter,
    bodyFor(target) {
      const forwarded: Record<string, unknown> = { ...body, model: target.upstreamModel };
      if (generates) {
        const targetCap = Math.min(cap, target.maxOutputTokens);
        forwarded[capField ?? (spec.insertMaxTokensAs as string)] = targetCap;
      }
      // Without the usage chunk an OpenAI stream cannot be metered exactly.
      if (hidesUsageChunk) forwarded['stream_options'] = { ...(streamOptions as object | undefined), include_usage: true };
      return forwarded;
    },
  };
}
