import { AnthropicToOpenAiChunks, anthropicToOpenAiCompletion, openAiToAnthropicRequest } from './openai-to-anthropic';
import { anthropicToOpenAiRequest, OpenAiToAnthropicEvents, openAiToAnthropicMessage } from './anthropic-to-openai';

describe('OpenAI → Anthropic', () => {
  it('maps system, tool calls, consecutive tool results, images, tool_choice and reasoning effort', () => {
    const request = openAiToAnthropicRequest(
      {
        model: 'claude',
        max_completion_tokens: 8000,
        reasoning_effort: 'medium',
        stop: 'END',
        tool_choice: { type: 'function', function: { name: 'f' } },
        parallel_tool_calls: false,
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
        messages: [
          { role: 'developer', content: 'Rules.' },
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }, { id: 'c2', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'one' },
          { role: 'tool', tool_call_id: 'c2', content: 'two' },
        ],
      },
      4096,
    );
    expect(request).toEqual({
      model: 'claude',
      max_tokens: 8000,
      system: 'Rules.',
      stop_sequences: ['END'],
      thinking: { type: 'enabled', budget_tokens: 4096 },
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'f', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://x.test/a.png' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } }, { type: 'tool_use', id: 'c2', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'one' }, { type: 'tool_result', tool_use_id: 'c2', content: 'two' }] },
      ],
    });
  });

  it('refuses what cannot map, naming the field', () => {
    const hi = [{ role: 'user', content: 'hi' }];
    expect(() => openAiToAnthropicRequest({ model: 'c', messages: hi, logprobs: true }, 10)).toThrow(/^logprobs/);
    expect(() => openAiToAnthropicRequest({ model: 'c', messages: hi, n: 3 }, 10)).toThrow(/^n:/);
    expect(() => openAiToAnthropicRequest({ model: 'c', messages: hi, reasoning_effort: 'high' }, 1000)).toThrow(/max_tokens above 16384/);
    expect(() => openAiToAnthropicRequest({ model: 'c', messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] }, 10)).toThrow(/input_audio/);
  });

  it('maps the reply back: tool_use as tool_calls, cache reads as cached prompt tokens, streamed deltas by tool index', () => {
    const completion = anthropicToOpenAiCompletion(
      { id: 'msg_1', model: 'claude', stop_reason: 'tool_use', content: [{ type: 'tool_use', id: 't', name: 'f', input: { a: 1 } }], usage: { input_tokens: 5, cache_read_input_tokens: 10, output_tokens: 2 } },
      1,
    );
    expect(completion).toMatchObject({
      choices: [{ message: { content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 15, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 10 } },
    });
    const chunks = new AnthropicToOpenAiChunks(1, false);
    chunks.next({ type: 'message_start', message: { id: 'm', model: 'claude', usage: { input_tokens: 3 } } });
    expect(chunks.next({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't', name: 'f' } })).toMatchObject([{ choices: [{ delta: { tool_calls: [{ index: 0, id: 't' }] } }] }]);
    expect(chunks.next({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a"' } })).toMatchObject([
      { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] } }] },
    ]);
    expect(chunks.next({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 4 } })).toHaveLength(1);
    expect(chunks.next({ type: 'message_stop' })).toEqual(['[DONE]']);
  });
});

describe('Anthropic → OpenAI', () => {
  it('maps tool results ahead of the user’s words, images, thinking and tool_choice', () => {
    const request = anthropicToOpenAiRequest({
      model: 'gpt',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral' } }],
      thinking: { type: 'enabled', budget_tokens: 4000 },
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      messages: [
        { role: 'assistant', content: [{ type: 'thinking', thinking: '…' }, { type: 'tool_use', id: 't', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'ok' }], is_error: true }] },
      ],
    });
    expect(request).toEqual({
      model: 'gpt',
      max_completion_tokens: 100,
      reasoning_effort: 'medium',
      tool_choice: 'auto',
      parallel_tool_calls: false,
      messages: [
        { role: 'system', content: 'Rules.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't', content: 'Error: ok' },
        { role: 'user', content: 'see' },
      ],
    });
    expect(() => anthropicToOpenAiRequest({ model: 'g', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }], top_k: 3 })).toThrow(/^top_k/);
    expect(() => anthropicToOpenAiRequest({ model: 'g', max_tokens: 1, tools: [{ type: 'web_search_20250305', name: 'web' }], messages: [{ role: 'user', content: 'hi' }] })).toThrow(/tools.0/);
  });

  it('maps an image given by URL to an image_url part with that URL, and refuses a source with neither data nor URL', () => {
    const url = 'https://images.example.com/cat.png?size=large';
    const request = anthropicToOpenAiRequest({
      model: 'gpt',
      max_tokens: 10,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'url', url } }] }],
    });
    expect(request['messages']).toEqual([{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] }]);
    const file = { model: 'gpt', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }] };
    expect(() => anthropicToOpenAiRequest(file)).toThrow(/^messages\.0\.content\.0\.source/);
  });

  it('maps the reply back, and a stream into Claude’s event sequence', () => {
    expect(openAiToAnthropicMessage({ id: 'chatcmpl-9', model: 'gpt', choices: [{ message: { content: 'hi' }, finish_reason: 'length' }], usage: { prompt_tokens: 8, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 3 } } })).toMatchObject({
      id: 'msg_9',
      content: [{ type: 'text', text: 'hi' }],
      stop_reason: 'max_tokens',
      usage: { input_tokens: 5, cache_read_input_tokens: 3, output_tokens: 1 },
    });
    const events = new OpenAiToAnthropicEvents();
    const names = [
      ...events.next({ id: 'c', model: 'gpt', choices: [{ delta: { content: 'a' } }] }),
      ...events.next({ choices: [{ delta: { tool_calls: [{ index: 0, id: 'x', function: { name: 'f', arguments: '' } }] } }] }),
      ...events.next({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{}' } }] } }] }),
      ...events.next({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] }),
      ...events.next({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 2 } }),
      ...events.next(undefined),
    ];
    expect(names.map(([name]) => name)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(names[7]?.[1]).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { input_tokens: 4, output_tokens: 2 } });
  });
});
