import { GeminiToOpenAiChunks, geminiToOpenAiCompletion } from './gemini-to-openai';
import { openAiToGeminiRequest } from './openai-to-gemini';

const ids = () => {
  let n = 0;
  return () => `call_${++n}`;
};

describe('OpenAI → Gemini', () => {
  it('maps system, turns, tool calls, tool results by the call’s name, inline images, tools, tool_choice and generation settings', () => {
    const request = openAiToGeminiRequest({
      model: 'gemini-2.5-pro',
      max_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      tool_choice: { type: 'function', function: { name: 'f' } },
      tools: [{ type: 'function', function: { name: 'f', description: 'F.', parameters: { type: 'object', properties: { a: { type: 'number' } } } } }],
      response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object' } } },
      messages: [
        { role: 'system', content: 'Rules.' },
        { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }, { id: 'c2', type: 'function', function: { name: 'g', arguments: '' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"ok":true}' },
        { role: 'tool', tool_call_id: 'c2', content: 'plain' },
      ],
    });
    expect(request).toEqual({
      model: 'gemini-2.5-pro',
      systemInstruction: { parts: [{ text: 'Rules.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Look:' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }] },
        { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }, { functionCall: { name: 'g', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }, { functionResponse: { name: 'g', response: { content: 'plain' } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'f', description: 'F.', parameters: { type: 'object', properties: { a: { type: 'number' } } } }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } },
      generationConfig: { maxOutputTokens: 300, temperature: 0.2, topP: 0.9, stopSequences: ['END'], responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } },
    });
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const hi = [{ role: 'user', content: 'hi' }];
    for (const [choice, mode] of [['auto', 'AUTO'], ['none', 'NONE'], ['required', 'ANY']] as const) {
      expect(openAiToGeminiRequest({ model: 'g', messages: hi, tools, tool_choice: choice })['toolConfig']).toEqual({ functionCallingConfig: { mode } });
    }
  });

  it('refuses what cannot map, naming the field or part', () => {
    const hi = [{ role: 'user', content: 'hi' }];
    const param = (body: Record<string, unknown>) => {
      try {
        openAiToGeminiRequest(body);
      } catch (error) {
        return (error as { details?: { param?: string } }).details?.param;
      }
      return 'accepted';
    };
    expect(param({ model: 'g', messages: hi, logprobs: true })).toBe('logprobs');
    expect(param({ model: 'g', messages: hi, n: 2 })).toBe('n');
    expect(param({ model: 'g', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] }] })).toBe('messages[0].content[0]');
    expect(param({ model: 'g', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] })).toBe('messages[0].content[0]');
    expect(param({ model: 'g', messages: [...hi, { role: 'tool', tool_call_id: 'nope', content: 'x' }] })).toBe('messages[1].tool_call_id');
    expect(param({ model: 'g', messages: hi, response_format: { type: 'xml' } })).toBe('response_format');
    expect(param({ model: 'g', messages: hi, temperature: 3 })).toBe('temperature');
    expect(param({ model: 'g', messages: hi, stop: [1] })).toBe('stop');
    expect(param({ model: 'g', messages: hi, tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'sometimes' })).toBe('tool_choice');
  });
});

describe('Gemini → OpenAI', () => {
  const usageMetadata = { promptTokenCount: 100, candidatesTokenCount: 20, thoughtsTokenCount: 5, cachedContentTokenCount: 40 };

  it('maps a reply: text, function calls as tool calls with made-up ids, finish reason and usage as metered', () => {
    const completion = geminiToOpenAiCompletion(
      {
        responseId: 'r1',
        candidates: [{ content: { role: 'model', parts: [{ text: 'hmm', thought: true }, { text: 'On it.' }, { functionCall: { name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP' }],
        usageMetadata,
      },
      7,
      'gemini-2.5-pro',
      ids(),
    );
    expect(completion).toEqual({
      id: 'chatcmpl-r1',
      object: 'chat.completion',
      created: 7,
      model: 'gemini-2.5-pro',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'On it.', refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 100, completion_tokens: 25, total_tokens: 125, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 5 } },
    });
    const cut = geminiToOpenAiCompletion({ candidates: [{ content: { parts: [{ text: 'Lo' }] }, finishReason: 'MAX_TOKENS' }] }, 7, 'g', ids());
    expect((cut['choices'] as Array<Record<string, unknown>>)[0]).toMatchObject({ message: { content: 'Lo' }, finish_reason: 'length' });
  });

  it('streams text deltas, each function call as one whole tool-call delta, the finish, then usage and [DONE]', () => {
    const chunks = new GeminiToOpenAiChunks(7, 'g', true, ids());
    const out = [
      ...chunks.next({ responseId: 'r2', candidates: [{ content: { parts: [{ text: 'Checking.' }] } }], usageMetadata: { promptTokenCount: 100 } }),
      ...chunks.next({ responseId: 'r2', candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: { city: 'Oslo' } } }, { functionCall: { name: 'g' } }] }, finishReason: 'STOP' }], usageMetadata }),
      ...chunks.end(),
    ];
    const deltas = out.map((chunk) => (chunk === '[DONE]' ? chunk : { choices: chunk['choices'], usage: chunk['usage'] }));
    const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: undefined });
    expect(deltas).toEqual([
      choice({ role: 'assistant', content: '' }),
      choice({ content: 'Checking.' }),
      choice({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"city":"Oslo"}' } }] }),
      choice({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'g', arguments: '{}' } }] }),
      choice({}, 'tool_calls'),
      { choices: [], usage: { prompt_tokens: 100, completion_tokens: 25, total_tokens: 125, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 5 } } },
      '[DONE]',
    ]);
    expect(out[0]).toMatchObject({ id: 'chatcmpl-r2', object: 'chat.completion.chunk', created: 7, model: 'g' });
  });
});
