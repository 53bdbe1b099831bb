import { assertProviderMatches, doneFrame, errorFrame, parseWsRequest, WsRequestError } from './ws-protocol';

const refusal = (text: string) => {
  try {
    parseWsRequest(text);
  } catch (error) {
    if (error instanceof WsRequestError) return { id: error.id, code: error.error.code, field: error.error.details?.['field'] };
    throw error;
  }
  throw new Error('accepted');
};

describe('/ws/mcp protocol', () => {
  it('reads a chat request, folding system messages into the system prompt', () => {
    const request = parseWsRequest(
      JSON.stringify({
        id: 'r1',
        type: 'chat',
        provider: 'claude',
        model: 'claude-sonnet-4-5',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        stream: true,
        maxTokens: 50,
        temperature: 0.2,
        stop: 'END',
      }),
    );
    expect(request).toEqual({
      id: 'r1',
      type: 'chat',
      provider: 'claude',
      stream: true,
      chat: {
        model: 'claude-sonnet-4-5',
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Hi' }],
        maxTokens: 50,
        temperature: 0.2,
        topP: undefined,
        stop: ['END'],
      },
    });
  });

  it('reads a completion as one user message; provider defaults to auto, stream to false', () => {
    const request = parseWsRequest(JSON.stringify({ id: 7, type: 'completion', model: 'gpt-4o', prompt: 'Say hi', system: 'Terse' }));
    expect(request).toMatchObject({ id: 7, provider: 'auto', stream: false, chat: { system: 'Terse', messages: [{ role: 'user', content: 'Say hi' }] } });
  });

  it('refuses unreadable frames without an id, and bad fields with the id', () => {
    expect(refusal('{not json')).toEqual({ id: null, code: 'BAD_USER_INPUT', field: undefined });
    expect(refusal('[1]')).toMatchObject({ id: null, code: 'BAD_USER_INPUT' });
    expect(refusal(JSON.stringify({ type: 'chat', model: 'm', messages: [] }))).toMatchObject({ id: null, field: 'id' });
    expect(refusal(JSON.stringify({ id: 1.5, type: 'chat' }))).toMatchObject({ id: null, field: 'id' });
    const base = { id: 'a', type: 'chat', model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] };
    expect(refusal(JSON.stringify({ ...base, type: 'embed' }))).toEqual({ id: 'a', code: 'BAD_USER_INPUT', field: 'type' });
    expect(refusal(JSON.stringify({ ...base, provider: 'gemini' }))).toMatchObject({ id: 'a', field: 'provider' });
    expect(refusal(JSON.stringify({ ...base, model: '' }))).toMatchObject({ field: 'model' });
    expect(refusal(JSON.stringify({ ...base, messages: [] }))).toMatchObject({ field: 'messages' });
    expect(refusal(JSON.stringify({ ...base, messages: [{ role: 'tool', content: 'x' }] }))).toMatchObject({ field: 'messages[0].role' });
    expect(refusal(JSON.stringify({ ...base, messages: [{ role: 'user', content: 3 }] }))).toMatchObject({ field: 'messages[0].content' });
    expect(refusal(JSON.stringify({ ...base, messages: [{ role: 'system', content: 'only' }] }))).toMatchObject({ field: 'messages' });
    expect(refusal(JSON.stringify({ ...base, stream: 'yes' }))).toMatchObject({ field: 'stream' });
    expect(refusal(JSON.stringify({ ...base, maxTokens: 0 }))).toMatchObject({ field: 'maxTokens' });
    expect(refusal(JSON.stringify({ ...base, temperature: 3 }))).toMatchObject({ field: 'temperature' });
    expect(refusal(JSON.stringify({ ...base, stop: ['a', 'b', 'c', 'd', 'e'] }))).toMatchObject({ field: 'stop' });
    expect(refusal(JSON.stringify({ ...base, tools: [] }))).toMatchObject({ field: 'tools' });
    expect(refusal(JSON.stringify({ ...base, prompt: 'x' }))).toMatchObject({ field: 'prompt' });
    expect(refusal(JSON.stringify({ id: 'c', type: 'completion', model: 'gpt-4o', messages: base.messages }))).toMatchObject({ field: 'messages' });
    expect(refusal(JSON.stringify({ id: 'c', type: 'completion', model: 'gpt-4o' }))).toMatchObject({ field: 'prompt' });
  });

  it('checks the provider choice against the model’s provider', () => {
    const request = (provider: string) =>
      parseWsRequest(JSON.stringify({ id: 'p', type: 'completion', provider, model: 'gpt-4o', prompt: 'x' }));
    expect(() => assertProviderMatches(request('openai'), 'openai')).not.toThrow();
    expect(() => assertProviderMatches(request('auto'), 'anthropic')).not.toThrow();
    expect(() => assertProviderMatches(request('claude'), 'anthropic')).not.toThrow();
    expect(() => assertProviderMatches(request('claude'), 'openai')).toThrow(WsRequestError);
  });

  it('shapes done and error frames', () => {
    expect(doneFrame('x', { model: 'gpt-4o', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 4 }, credits: 0.07 })).toEqual({
      id: 'x',
      type: 'done',
      data: { model: 'gpt-4o', finishReason: 'stop' },
      usage: { inputTokens: 3, outputTokens: 4, credits: 0.07 },
    });
    expect(errorFrame(null, { code: 'BAD_USER_INPUT', message: 'no' })).toEqual({ id: null, type: 'error', error: { code: 'BAD_USER_INPUT', message: 'no' } });
  });
});
