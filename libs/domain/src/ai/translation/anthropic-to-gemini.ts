import { anthropicToOpenAiRequest } from './anthropic-to-openai';
import { bad, Json, obj } from './json-parts';
import { openAiToGeminiRequest } from './openai-to-gemini';

/**
 * Anthropic Messages → Gemini `generateContent`, for an Anthropic client calling a Gemini model: the
 * two tested steps composed (Anthropic → OpenAI → Gemini), so no mapping lives here. What the second
 * step would refuse under an OpenAI name (an image by URL, a thinking budget) is refused first, under
 * the Anthropic field's own name. The reply maps back the same way (Gemini → OpenAI → Anthropic).
 */

export function anthropicToGeminiRequest(body: Json): Json {
  if (obj(body['thinking'])?.['type'] === 'enabled') throw bad('thinking: not supported for a Gemini model here (no mapping)', 'thinking');
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  messages.forEach((message, index) => {
    const blocks = obj(message)?.['content'];
    if (!Array.isArray(blocks)) return;
    blocks.forEach((block, i) => {
      const source = obj(obj(block)?.['source']);
      if (obj(block)?.['type'] === 'image' && source?.['type'] !== 'base64') {
        const param = `messages.${index}.content.${i}.source.type`;
        throw bad(`${param}: a Gemini model takes images as base64 here (the hub does not fetch image URLs)`, param);
      }
    });
  });
  return openAiToGeminiRequest(anthropicToOpenAiRequest(body, 'a Gemini model'));
}
