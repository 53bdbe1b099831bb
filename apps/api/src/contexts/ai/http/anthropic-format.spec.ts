import { DomainError } from '@sah/domain';
import {
  anthropicEvents,
  anthropicMessage,
  anthropicMessageId,
  anthropicStop,
  parseAnthropicRequest,
} from './anthropic-format';

const minimal = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

function refusal(body: unknown): DomainError {
  try {
    parseAnthropicRequest(body);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('parseAnthropicRequest', () => {
  it('maps a full request onto the hub’s model', () => {
    expect(
      parseAnthropicRequest({
        model: 'claude-sonnet-4-5',
        max_tokens: 64,
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } },
        ],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
          { role: 'assistant', content: 'Bonjour' },
          { role: 'user', content: 'Again' },
        ],
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END', 'STOP'],
        stream: true,
        metadata: { user_id: 'u-1' },
      }),
    ).toEqual({
      request: {
        model: 'claude-sonnet-4-5',
        system: 'Be brief.\n\nAnswer in French.',
        messages: [
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Bonjour' },
          { role: 'user', content: 'Again' },
        ],
        maxTokens: 64,
        temperature: 0.5,
        topP: 0.9,
        stop: ['END', 'STOP'],
      },
      stream: true,
    });
  });

  it('leaves optional fields out and streams only when asked', () => {
    expect(parseAnthropicRequest(minimal)).toEqual({
      request: {
        model: 'claude-sonnet-4-5',
        system: undefined,
        messages: [{ role: 'user', content: 'hi' }],
        maxTokens: 100,
        temperature: undefined,
        topP: undefined,
        stop: undefined,
      },
      stream: false,
    });
  });

  it('folds leading system messages into the system prompt, and refuses one later in the conversation', () => {
    const parsed = parseAnthropicRequest({
      ...minimal,
      system: 'Top.',
      messages: [{ role: 'system', content: 'Lead.' }, ...minimal.messages],
    });
    expect(parsed.request.system).toBe('Top.\n\nLead.');
    expect(parsed.request.messages).toEqual(minimal.messages);
    expect(
      refusal({ ...minimal, messages: [...minimal.messages, { role: 'system', content: 'Late.' }] }).message,
    ).toMatch(/^messages\.1\.role: .*not supported/);
  });

  const refused: Array<[unknown, string]> = [
    [{ ...minimal, max_tokens: undefined }, 'max_tokens: Field required'],
    [{ model: 'claude-sonnet-4-5', messages: minimal.messages }, 'max_tokens: Field required'],
    [{ ...minimal, max_tokens: 0 }, 'max_tokens: must be an integer of at least 1'],
    [{ ...minimal, max_tokens: 1.5 }, 'max_tokens: must be an integer of at least 1'],
    [{ ...minimal, model: undefined }, 'model: Field required'],
    [{ ...minimal, messages: [] }, 'messages: at least one message is required'],
    [
      { ...minimal, messages: [{ role: 'system', content: 'only' }] },
      'messages: at least one user or assistant message is required',
    ],
    [
      { ...minimal, messages: [{ role: 'tool', content: 'x' }] },
      "messages.0.role: Input should be 'user', 'assistant' or 'system'",
    ],
    [
      { ...minimal, messages: [{ role: 'user', content: 'x', name: 'bob' }] },
      'messages.0.name: Extra inputs are not permitted',
    ],
    [
      { ...minimal, messages: [{ role: 'user', content: 42 }] },
      'messages.0.content: Input should be a valid string or a list of content blocks',
    ],
    [
      {
        ...minimal,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } }],
          },
        ],
      },
      'messages.0.content.0.type: image content is not supported by this gateway (text only)',
    ],
    [
      {
        ...minimal,
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] }],
      },
      'messages.0.content.0.type: tool_use content is not supported by this gateway (text only)',
    ],
    [
      { ...minimal, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', extra: 1 }] }] },
      'messages.0.content.0.extra: Extra inputs are not permitted',
    ],
    [{ ...minimal, system: 7 }, 'system: Input should be a valid string or a list of content blocks'],
    [{ ...minimal, temperature: 1.5 }, 'temperature: must be a number from 0 to 1'],
    [{ ...minimal, temperature: '0.5' }, 'temperature: must be a number from 0 to 1'],
    [{ ...minimal, top_p: -0.1 }, 'top_p: must be a number from 0 to 1'],
    [{ ...minimal, top_k: 0 }, 'top_k: must be an integer of at least 1'],
    [{ ...minimal, stop_sequences: 'END' }, 'stop_sequences: Input should be a list of non-empty strings'],
    [{ ...minimal, stream: 'yes' }, 'stream: Input should be a valid boolean'],
    [{ ...minimal, metadata: 'x' }, 'metadata: Input should be a valid dictionary'],
    [{ ...minimal, tools: [] }, 'tools: not supported by this gateway (text chat only)'],
    [
      { ...minimal, thinking: { type: 'adaptive' } },
      'thinking: not supported by this gateway (text chat only)',
    ],
    [{ ...minimal, frequency_penalty: 1 }, 'frequency_penalty: Extra inputs are not permitted'],
    [[minimal], 'The request body must be a JSON object'],
    [undefined, 'The request body must be a JSON object'],
  ];
  it.each(refused.map(([body, message]) => [message, body]))('refuses with 400: %s', (message, body) => {
    const error = refusal(body);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(message);
  });
});

describe('Anthropic responses', () => {
  it('maps finish reasons to stop reasons, naming the stop sequence when only one was asked for', () => {
    const request = { model: 'm', messages: [], stop: ['END'] };
    expect(anthropicStop('stop', request)).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    expect(anthropicStop('length', request)).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(anthropicStop('content_filter', request)).toEqual({ stop_reason: 'refusal', stop_sequence: null });
    expect(anthropicStop('stop_sequence', request)).toEqual({
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
    });
    expect(anthropicStop('stop_sequence', { ...request, stop: ['A', 'B'] })).toEqual({
      stop_reason: 'stop_sequence',
      stop_sequence: null,
    });
  });

  it('gives every message an Anthropic-style id', () => {
    expect(anthropicMessageId('msg_01abc')).toBe('msg_01abc');
    expect(anthropicMessageId('chatcmpl-9xYz')).toBe('msg_chatcmpl9xYz');
    expect(anthropicMessageId('0b8e2c5e-1f7a-4d8e-9a51-2f0c6a1b7d3e')).toBe(
      'msg_0b8e2c5e1f7a4d8e9a512f0c6a1b7d3e',
    );
  });

  it('builds a Message and a stream’s empty start', () => {
    const usage = { inputTokens: 12, outputTokens: 3 };
    expect(
      anthropicMessage(
        'msg_1',
        'claude-sonnet-4-5',
        'Hi!',
        { stop_reason: 'end_turn', stop_sequence: null },
        usage,
      ),
    ).toMatchObject({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hi!', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 12,
        output_tokens: 3,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(anthropicMessage('msg_1', 'gpt-4o', null, null, usage)).toMatchObject({
      content: [],
      stop_reason: null,
      stop_sequence: null,
    });
  });

  it('reports the whole message’s usage in message_delta', () => {
    expect(
      anthropicEvents.messageDelta(
        { stop_reason: 'max_tokens', stop_sequence: null },
        { inputTokens: 40, outputTokens: 7 },
      ),
    ).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null, stop_details: null, container: null },
      usage: {
        input_tokens: 40,
        output_tokens: 7,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens_details: null,
        server_tool_use: null,
      },
    });
    expect(anthropicEvents.textDelta('Hel')).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Hel' },
    });
  });
});
