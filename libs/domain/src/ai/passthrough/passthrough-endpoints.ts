import { DomainError } from '../../shared/domain-error';
import { AiModel, assertFitsContext, outputBudget } from '../ai-model';
import type { ProviderName } from '../chat';
import { estimateBodyTokens } from './prompt-estimate';
import {
  AnthropicMessagesMeter,
  GeminiMeter,
  OpenAiChatMeter,
  OpenAiEmbeddingsMeter,
  OpenAiResponsesMeter,
  UnmeteredMeter,
  UsageMeter,
} from './usage-meters';

/** The provider APIs the hub forwards as they are, each to providers speaking the same protocol. */
export type PassthroughEndpoint =
  | 'chat.completions'
  | 'responses'
  | 'embeddings'
  | 'messages'
  | 'messages.count_tokens'
  | 'gemini.generateContent'
  | 'gemini.streamGenerateContent'
  | 'gemini.countTokens';

interface EndpointSpec {
  protocol: ProviderName;
  /** Body fields that carry input, for the estimate before the call. */
  inputFields: readonly string[];
  /** The field that must hold the input (a non-empty array, or for some endpoints a string). */
  inputField: string;
  /** Output cap fields the client may send (the first present wins; `a.b` is nested); none for endpoints that generate nothing. */
  maxTokensFields: readonly string[];
  /** Where the hub writes its cap when the client sent none; absent = the field is required. */
  insertMaxTokensAs?: string;
  /** The field asking for several answers per call (`n`), which multiply the output held for. */
  choicesField?: string;
  /** Whether the endpoint itself streams (Gemini names it in the path); absent = the body's `stream`. */
  streams?: boolean;
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
    choicesField: 'n',
    metered: true,
    meter: () => new OpenAiChatMeter(),
  },
  responses: {
    protocol: 'openai',
    inputFields: ['input', 'instructions', 'tools'],
    inputField: 'input',
    maxTokensFields: ['max_output_tokens'],
    insertMaxTokensAs: 'max_output_tokens',
    metered: true,
    meter: () => new OpenAiResponsesMeter(),
  },
  embeddings: {
    protocol: 'openai',
    inputFields: ['input'],
    inputField: 'input',
    maxTokensFields: [],
    metered: true,
    meter: () => new OpenAiEmbeddingsMeter(),
  },
  messages: {
    protocol: 'anthropic',
    inputFields: ['messages', 'system', 'tools'],
    inputField: 'messages',
    maxTokensFields: ['max_tokens'],
    metered: true,
    meter: () => new AnthropicMessagesMeter(),
  },
  'messages.count_tokens': {
    protocol: 'anthropic',
    inputFields: ['messages', 'system', 'tools'],
    inputField: 'messages',
    maxTokensFields: [],
    metered: false,
    meter: () => new UnmeteredMeter(),
  },
  'gemini.generateContent': gemini(false),
  'gemini.streamGenerateContent': gemini(true),
  'gemini.countTokens': {
    protocol: 'gemini',
    inputFields: ['contents'],
    inputField: 'contents',
    maxTokensFields: [],
    streams: false,
    metered: false,
    meter: () => new UnmeteredMeter(),
  },
};

/** Gemini's generateContent: the model is named in the path (the provider adapter moves it there). */
function gemini(streams: boolean): EndpointSpec {
  return {
    protocol: 'gemini',
    inputFields: ['contents', 'systemInstruction', 'tools'],
    inputField: 'contents',
    maxTokensFields: ['generationConfig.maxOutputTokens'],
    insertMaxTokensAs: 'generationConfig.maxOutputTokens',
    choicesField: 'generationConfig.candidateCount',
    streams,
    metered: true,
    meter: () => new GeminiMeter(),
  };
}

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
  if (spec.streams === undefined && body['stream'] !== undefined && body['stream'] !== null && typeof body['stream'] !== 'boolean') {
    throw bad('stream must be a boolean', 'stream');
  }
  const stream = spec.streams ?? body['stream'] === true;

  const capField = spec.maxTokensFields.find((field) => at(body, field) !== undefined && at(body, field) !== null);
  const requested = capField ? at(body, capField) : undefined;
  if (requested !== undefined && (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 1)) {
    throw bad(`${capField} must be a positive integer`, capField as string);
  }
  if (spec.maxTokensFields.length > 0 && requested === undefined && !spec.insertMaxTokensAs) {
    throw bad(`${spec.maxTokensFields[0]}: Field required`, spec.maxTokensFields[0] as string);
  }
  const generates = spec.maxTokensFields.length > 0;
  const cap = generates ? outputBudget(model, requested as number | undefined, defaultMaxTokens) : 0;
  const n = spec.choicesField ? at(body, spec.choicesField) : undefined;
  if (n !== undefined && n !== null && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128)) {
    throw bad(`${spec.choicesField} must be an integer from 1 to 128`, spec.choicesField as string);
  }
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
        put(forwarded, capField ?? (spec.insertMaxTokensAs as string), targetCap);
      }
      // Without the usage chunk an OpenAI stream cannot be metered exactly.
      if (hidesUsageChunk) forwarded['stream_options'] = { ...(streamOptions as object | undefined), include_usage: true };
      return forwarded;
    },
  };
}

/** A field of the body, `a.b` reaching into an object. */
function at(body: Record<string, unknown>, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** Sets a field of a shallow copy, copying each object on the way (`a.b`), so the client's body stays as sent. */
function put(body: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = body;
  for (const key of keys.slice(0, -1)) {
    const inner = target[key];
    const copy = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? { ...(inner as Record<string, unknown>) } : {};
    target[key] = copy;
    target = copy;
  }
  target[keys[keys.length - 1] as string] = value;
}
