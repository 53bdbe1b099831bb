import { ChatMessage, ChatRequest, DomainError, FinishReason, TokenUsage } from '@sah/domain';

/** Gemini API `generateContent` wire format ⇄ the hub's request model. */

const ACCEPTED = new Set(['contents', 'systemInstruction', 'generationConfig']);
/** What of `generationConfig` maps onto every provider; the rest is refused by name. */
const ACCEPTED_CONFIG = new Set(['maxOutputTokens', 'temperature', 'topP', 'stopSequences', 'candidateCount', 'responseMimeType']);
const METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'] as const;
export type GeminiMethod = (typeof METHODS)[number];

const bad = (message: string, field?: string) => DomainError.badInput(message, field ? { field } : undefined);

/** `gemini-2.5-pro:generateContent` (the path segment after `models/`) → model and method. */
export function parseGeminiTarget(target: string): { model: string; method: GeminiMethod } {
  const at = target.lastIndexOf(':');
  const model = target.slice(0, at);
  const method = target.slice(at + 1) as GeminiMethod;
  if (at <= 0 || !METHODS.includes(method)) {
    throw new DomainError('NOT_FOUND', `Method not found: models/${target} (this endpoint serves :generateContent, :streamGenerateContent and :countTokens)`);
  }
  return { model, method };
}

/**
 * A `GenerateContentRequest` as the hub's chat request: text parts only, `model` turns into
 * `assistant`, `systemInstruction` into the system prompt. Anything the hub cannot carry to every
 * provider (tools, media parts, other generation settings) is a 400 naming the field.
 */
export function parseGeminiRequest(model: string, body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('The request body must be a JSON object');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).find((key) => !ACCEPTED.has(key));
  if (unknown) throw bad(`Invalid JSON payload received. Unknown name "${unknown}" (or it cannot be served through the hub)`, unknown);
  if (!Array.isArray(input['contents']) || input['contents'].length === 0) throw bad('contents is not specified', 'contents');

  const messages: ChatMessage[] = input['contents'].map((raw, index) => {
    const content = raw as { role?: unknown; parts?: unknown } | null;
    const field = `contents[${index}]`;
    if (typeof content !== 'object' || content === null || Array.isArray(content)) throw bad(`${field} must be an object`, field);
    const role = content.role ?? 'user';
    if (role !== 'user' && role !== 'model') throw bad(`${field}.role: please use a valid role: user, model`, `${field}.role`);
    return { role: role === 'model' ? 'assistant' : 'user', content: textOf(content.parts, `${field}.parts`) };
  });

  let system: string | undefined;
  const instruction = input['systemInstruction'];
  if (instruction !== undefined && instruction !== null) {
    if (typeof instruction === 'string') system = instruction;
    else if (typeof instruction === 'object' && !Array.isArray(instruction)) system = textOf((instruction as { parts?: unknown }).parts, 'systemInstruction.parts');
    else throw bad('systemInstruction must be a Content object', 'systemInstruction');
  }

  const config = (input['generationConfig'] ?? {}) as Record<string, unknown>;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw bad('generationConfig must be an object', 'generationConfig');
  const unmapped = Object.keys(config).find((key) => !ACCEPTED_CONFIG.has(key));
  if (unmapped) throw bad(`generationConfig.${unmapped} cannot be served through the hub`, `generationConfig.${unmapped}`);
  if (config['candidateCount'] !== undefined && config['candidateCount'] !== 1) throw bad('Only candidateCount 1 is supported', 'generationConfig.candidateCount');
  const mime = config['responseMimeType'];
  if (mime !== undefined && mime !== 'text/plain') throw bad('Only responseMimeType text/plain is supported', 'generationConfig.responseMimeType');
  const maxTokens = config['maxOutputTokens'];
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)) {
    throw bad('generationConfig.maxOutputTokens must be a positive integer', 'generationConfig.maxOutputTokens');
  }
  const stop = config['stopSequences'];
  if (stop !== undefined && (!Array.isArray(stop) || stop.length > 5 || stop.some((s) => typeof s !== 'string' || !s))) {
    throw bad('generationConfig.stopSequences must be up to 5 non-empty strings', 'generationConfig.stopSequences');
  }
  return {
    model,
    ...(system !== undefined ? { system } : {}),
    messages,
    maxTokens: maxTokens as number | undefined,
    temperature: numberIn(config['temperature'], 0, 2, 'generationConfig.temperature'),
    topP: numberIn(config['topP'], 0, 1, 'generationConfig.topP'),
    stop: stop as string[] | undefined,
  };
}

function textOf(parts: unknown, field: string): string {
  if (!Array.isArray(parts) || parts.length === 0) throw bad(`${field} must be a non-empty array of parts`, field);
  return parts
    .map((raw, index) => {
      const part = raw as Record<string, unknown> | null;
      const other = part && typeof part === 'object' ? Object.keys(part).find((key) => key !== 'text') : undefined;
      if (other) throw bad(`${field}[${index}].${other}: only text parts can be served through the hub`, `${field}[${index}].${other}`);
      if (typeof part?.['text'] !== 'string') throw bad(`${field}[${index}].text must be a string`, `${field}[${index}].text`);
      return part['text'];
    })
    .join('');
}

function numberIn(value: unknown, min: number, max: number, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw bad(`${field} must be a number from ${min} to ${max}`, field);
  return value;
}

const FINISH: Record<FinishReason, string> = { stop: 'STOP', stop_sequence: 'STOP', length: 'MAX_TOKENS', content_filter: 'SAFETY' };

export function geminiUsage(usage: TokenUsage) {
  return {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: usage.outputTokens,
    totalTokenCount: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens ? { cachedContentTokenCount: usage.cachedInputTokens } : {}),
  };
}

/** One `GenerateContentResponse`: a whole answer, or one chunk of a stream (finish and usage on the last). */
export function geminiResponse(
  responseId: string,
  model: string,
  text: string,
  end?: { finishReason: FinishReason; usage: TokenUsage },
) {
  return {
    candidates: [{ content: { parts: [{ text }], role: 'model' }, ...(end ? { finishReason: FINISH[end.finishReason] } : {}), index: 0 }],
    ...(end ? { usageMetadata: geminiUsage(end.usage) } : {}),
    modelVersion: model,
    responseId,
  };
}
