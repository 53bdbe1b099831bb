import { ChatMessage, ChatRequest, DomainError, FinishReason, ProviderName, systemPrompt, TokenUsage } from '@sah/domain';

/**
 * The /ws/mcp wire protocol for integrations: JSON text frames, one request per frame, answers
 * matched by the client's `id`. Pure: parsing and frame shapes only, no sockets.
 *
 * Client → server
 *   chat:       {id, type: "chat", provider?, model, messages: [{role: system|user|assistant, content}], stream?, maxTokens?, temperature?, topP?, stop?}
 *   completion: {id, type: "completion", provider?, model, prompt, system?, stream?, maxTokens?, temperature?, topP?, stop?}
 *               — one prompt string, sent to the model as a single user message.
 *   `provider` ("openai" | "claude" | "auto"), when given and not "auto", must be the model's provider.
 * Server → client
 *   {id, type: "chunk", data: {text}}                                        per delta when stream
 *   {id, type: "done",  data: {text?, model, finishReason}, usage: {inputTokens, outputTokens, credits}}
 *   {id, type: "error", error: {code, message, details?}}                    id null when unreadable
 */

export type RequestId = string | number;
export type WsProviderChoice = 'openai' | 'claude' | 'auto';

export interface WsRequest {
  id: RequestId;
  type: 'chat' | 'completion';
  provider: WsProviderChoice;
  stream: boolean;
  chat: ChatRequest;
}

/** A frame the server refuses; `id` is echoed when the frame had a usable one. */
export class WsRequestError extends Error {
  constructor(
    readonly id: RequestId | null,
    readonly error: DomainError,
  ) {
    super(error.message);
  }
}

const MAX_ID_LENGTH = 128;
const MAX_MODEL_LENGTH = 200;
const MAX_STOP_SEQUENCES = 4;

const COMMON_FIELDS = ['id', 'type', 'provider', 'model', 'stream', 'maxTokens', 'temperature', 'topP', 'stop'];
const FIELDS: Record<WsRequest['type'], ReadonlySet<string>> = {
  chat: new Set([...COMMON_FIELDS, 'messages']),
  completion: new Set([...COMMON_FIELDS, 'prompt', 'system']),
};
const PROVIDER_CHOICES: readonly WsProviderChoice[] = ['openai', 'claude', 'auto'];
/** The protocol says "claude" where the catalogue says "anthropic". */
const CATALOGUE_PROVIDER: Record<Exclude<WsProviderChoice, 'auto'>, ProviderName> = { openai: 'openai', claude: 'anthropic' };

export function parseWsRequest(text: string): WsRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WsRequestError(null, DomainError.badInput('The frame is not valid JSON'));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WsRequestError(null, DomainError.badInput('A request must be a JSON object'));
  }
  const input = value as Record<string, unknown>;
  const id = readId(input.id);
  const bad = (message: string, field: string) => new WsRequestError(id, DomainError.badInput(message, { field }));

  if (input.type !== 'chat' && input.type !== 'completion') throw bad('type must be "chat" or "completion"', 'type');
  const type = input.type;
  const unknown = Object.keys(input).find((key) => !FIELDS[type].has(key));
  if (unknown) throw bad(`Unknown field for a ${type} request: ${unknown}`, unknown);

  const provider = input.provider ?? 'auto';
  if (!PROVIDER_CHOICES.includes(provider as WsProviderChoice)) throw bad('provider must be "openai", "claude" or "auto"', 'provider');
  if (typeof input.model !== 'string' || !input.model || input.model.length > MAX_MODEL_LENGTH) {
    throw bad(`model must be a model id of at most ${MAX_MODEL_LENGTH} characters`, 'model');
  }
  if (input.stream !== undefined && typeof input.stream !== 'boolean') throw bad('stream must be true or false', 'stream');

  const { system, messages } = type === 'chat' ? readMessages(input.messages, bad) : readPrompt(input, bad);
  if (input.maxTokens !== undefined && (!Number.isInteger(input.maxTokens) || (input.maxTokens as number) < 1)) {
    throw bad('maxTokens must be a positive integer', 'maxTokens');
  }
  return {
    id,
    type,
    provider: provider as WsProviderChoice,
    stream: input.stream === true,
    chat: {
      model: input.model,
      system,
      messages,
      maxTokens: input.maxTokens as number | undefined,
      temperature: readNumber(input.temperature, 0, 2, 'temperature', bad),
      topP: readNumber(input.topP, 0, 1, 'topP', bad),
      stop: readStop(input.stop, bad),
    },
  };
}

/** Refuses a provider choice that contradicts the model's; "auto" leaves it to the catalogue. */
export function assertProviderMatches(request: WsRequest, modelProvider: ProviderName): void {
  if (request.provider === 'auto' || CATALOGUE_PROVIDER[request.provider] === modelProvider) return;
  throw new WsRequestError(
    request.id,
    DomainError.badInput(`The model '${request.chat.model}' is not served by ${request.provider}`, {
      field: 'provider',
      provider: request.provider,
      model: request.chat.model,
    }),
  );
}

type Bad = (message: string, field: string) => WsRequestError;

function readId(value: unknown): RequestId {
  if (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new WsRequestError(null, DomainError.badInput(`id must be a string of 1 to ${MAX_ID_LENGTH} characters or an integer`, { field: 'id' }));
}

function readMessages(value: unknown, bad: Bad): { system?: string; messages: ChatMessage[] } {
  if (!Array.isArray(value) || value.length === 0) throw bad('messages must be a non-empty array', 'messages');
  const system: string[] = [];
  const messages: ChatMessage[] = [];
  value.forEach((raw: unknown, index) => {
    const message = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const field = `messages[${index}]`;
    const extra = Object.keys(message).find((key) => key !== 'role' && key !== 'content');
    if (extra) throw bad(`Unknown field in ${field}: ${extra}`, `${field}.${extra}`);
    if (typeof message.content !== 'string') throw bad(`${field}.content must be a string`, `${field}.content`);
    if (message.role === 'system') system.push(message.content);
    else if (message.role === 'user' || message.role === 'assistant') messages.push({ role: message.role, content: message.content });
    else throw bad(`${field}.role must be system, user or assistant`, `${field}.role`);
  });
  if (messages.length === 0) throw bad('messages must hold at least one user or assistant message', 'messages');
  return { system: systemPrompt(system), messages };
}

function readPrompt(input: Record<string, unknown>, bad: Bad): { system?: string; messages: ChatMessage[] } {
  if (typeof input.prompt !== 'string' || !input.prompt) throw bad('prompt must be a non-empty string', 'prompt');
  if (input.system !== undefined && typeof input.system !== 'string') throw bad('system must be a string', 'system');
  return { system: input.system || undefined, messages: [{ role: 'user', content: input.prompt }] };
}

function readNumber(value: unknown, min: number, max: number, field: string, bad: Bad): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= min && value <= max)) throw bad(`${field} must be a number from ${min} to ${max}`, field);
  return value;
}

function readStop(value: unknown, bad: Bad): string[] | undefined {
  if (value === undefined) return undefined;
  const stop = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(stop) || stop.length > MAX_STOP_SEQUENCES || stop.some((s) => typeof s !== 'string' || !s)) {
    throw bad(`stop must be a string or up to ${MAX_STOP_SEQUENCES} non-empty strings`, 'stop');
  }
  return stop as string[];
}

// ── Server frames ────────────────────────────────────────────────────────────────────────────

export interface WsErrorBody {
  code: string;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}

export const chunkFrame = (id: RequestId, text: string) => ({ id, type: 'chunk' as const, data: { text } });

export function doneFrame(
  id: RequestId,
  result: { text?: string; model: string; finishReason: FinishReason; usage: TokenUsage; credits: number },
) {
  return {
    id,
    type: 'done' as const,
    data: { ...(result.text !== undefined ? { text: result.text } : {}), model: result.model, finishReason: result.finishReason },
    usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, credits: result.credits },
  };
}

export const errorFrame = (id: RequestId | null, error: WsErrorBody) => ({
  id,
  type: 'error' as const,
  error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
});
