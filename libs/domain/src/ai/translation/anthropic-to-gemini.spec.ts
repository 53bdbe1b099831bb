import { DomainError } from '../../shared/domain-error';
import { anthropicToGeminiRequest } from './anthropic-to-gemini';

const refusal = (body: Record<string, unknown>) => {
  try {
    anthropicToGeminiRequest(body);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('Anthropic → Gemini (through OpenAI’s format)', () => {
  it('maps tool_use and tool_result blocks to functionCall and functionResponse, and Anthropic’s tools and settings', () => {
    const request = anthropicToGeminiRequest({
      model: 'gemini-2.5-pro',
      max_tokens: 200,
      stream: true,
      system: 'Terse.',
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'f' },
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'done' }] },
      ],
    });
    expect(request).toEqual({
      model: 'gemini-2.5-pro',
      systemInstruction: { parts: [{ text: 'Terse.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'go' }] },
        { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: { content: 'done' } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'object' } }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } },
      generationConfig: { maxOutputTokens: 200 },
    });
  });

  it('refuses an image by URL and a thinking budget under the Anthropic field’s name, and names Gemini in the first step’s refusals', () => {
    const image = refusal({ model: 'g', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }] });
    expect(image.details).toEqual({ param: 'messages.0.content.0.source.type' });
    const thinking = refusal({ model: 'g', max_tokens: 10, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'hi' }] });
    expect(thinking.details).toEqual({ param: 'thinking' });
    expect(refusal({ model: 'g', max_tokens: 10, top_k: 5, messages: [{ role: 'user', content: 'hi' }] }).message).toBe('top_k: not supported for a Gemini model (no OpenAI equivalent)');
  });
});
