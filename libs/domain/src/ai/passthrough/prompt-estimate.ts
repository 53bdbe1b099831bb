import { estimateTokens } from '../token-estimate';

/** What a picture, a document or an audio clip is assumed to cost before the provider counts it. */
export const MEDIA_PART_TOKENS = 1_600;
const PER_MESSAGE_OVERHEAD = 4;

/** Parts whose strings are media (URLs, base64), not text: counted as a flat allowance each. */
const MEDIA_KEYS = new Set(['image_url', 'input_audio', 'source', 'file', 'image', 'inlineData', 'fileData']);

/**
 * A conservative estimate of the input tokens of a request body in a provider's own format, for
 * the context check and the hold before the call: the text of every string under the fields that
 * carry input (messages, system, tools, input, instructions…), media parts at a flat allowance. The
 * provider's own count replaces it once the call reports usage.
 */
export function estimateBodyTokens(body: Record<string, unknown>, inputFields: readonly string[]): number {
  let tokens = 3;
  for (const field of inputFields) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    tokens += walk(value);
    if (Array.isArray(value)) tokens += value.length * PER_MESSAGE_OVERHEAD;
  }
  return tokens;
}

function walk(value: unknown): number {
  if (typeof value === 'string') return estimateTokens(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + walk(item), 0);
  if (typeof value !== 'object') return 0;
  let sum = 0;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (MEDIA_KEYS.has(key) && item !== null && typeof item === 'object') sum += MEDIA_PART_TOKENS;
    else if (key === 'image_url' || key === 'file_data' || key === 'data') sum += typeof item === 'string' && item.length > 256 ? MEDIA_PART_TOKENS : walk(item);
    else sum += walk(item);
  }
  return sum;
}
