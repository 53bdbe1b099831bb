import { planForward } from './passthrough-endpoints';
import { estimateBodyTokens, MEDIA_PART_TOKENS } from './prompt-estimate';
import { AnthropicMessagesMeter, GeminiMeter, isUsageOnlyChunk, OpenAiChatMeter, OpenAiResponsesMeter } from './usage-meters';

const gpt = { id: 'gpt-4o', contextWindow: 128_000, maxOutputTokens: 16_384, upstreamModel: 'gpt-4o-2024' };
const hi = [{ role: 'user', content: 'hi' }];

describe('planForward', () => {
  it('clamps the cap to the model, holds for every choice, and rewrites only model and cap', () => {
    const body = { model: 'gpt-4o', messages: hi, max_tokens: 128_000, n: 2, x_future: { a: 1 } };
    const plan = planForward('chat.completions', body, gpt, 4096);
    expect(plan.outputTokens).toBe(2 * 16_384);
    expect(plan.bodyFor(gpt)).toEqual({ ...body, model: 'gpt-4o-2024', max_tokens: 16_384 });
    expect(plan.bodyFor({ upstreamModel: 'small', maxOutputTokens: 1000 })).toMatchObject({ max_tokens: 1000 });
    expect(body.max_tokens).toBe(128_000);
  });

  it('writes the hub’s default cap where the client sent none, and asks an OpenAI stream for its usage', () => {
    const plan = planForward('chat.completions', { model: 'gpt-4o', messages: hi, stream: true, stream_options: { foo: 1 } }, gpt, 4096);
    expect(plan.hidesUsageChunk).toBe(true);
    expect(plan.bodyFor(gpt)).toMatchObject({ max_completion_tokens: 4096, stream_options: { foo: 1, include_usage: true } });
    const asked = planForward('chat.completions', { model: 'gpt-4o', messages: hi, stream: true, stream_options: { include_usage: true } }, gpt, 4096);
    expect(asked.hidesUsageChunk).toBe(false);
  });

  it('refuses what the hub must check, naming the field', () => {
    expect(() => planForward('messages', { model: 'c', messages: hi }, gpt, 4096)).toThrow('max_tokens: Field required');
    expect(() => planForward('chat.completions', { model: 'g', messages: [] }, gpt, 4096)).toThrow(/messages/);
    expect(() => planForward('chat.completions', { model: 'g', messages: hi, max_tokens: 0 }, gpt, 4096)).toThrow(/positive integer/);
    expect(() => planForward('chat.completions', { model: 'g', messages: hi, n: 0 }, gpt, 4096)).toThrow(/^n /);
    expect(() => planForward('chat.completions', { model: 'g', messages: [{ role: 'user', content: 'w '.repeat(600_000) }] }, gpt, 4096)).toThrow(/context window/);
  });

  it('Gemini: the cap inside generationConfig (inserted or clamped, the client’s object untouched), candidates held for, streaming by endpoint', () => {
    const pro = { id: 'gemini-2.5-pro', contextWindow: 1_048_576, maxOutputTokens: 65_536, upstreamModel: 'gemini-2.5-pro' };
    const contents = [{ role: 'user', parts: [{ text: 'hi' }] }];
    const body = { model: 'gemini-2.5-pro', contents, generationConfig: { maxOutputTokens: 100_000, candidateCount: 2, topK: 3 }, stream: 'ignored' };
    const plan = planForward('gemini.streamGenerateContent', body, pro, 4096);
    expect(plan.stream).toBe(true);
    expect(plan.outputTokens).toBe(2 * 65_536);
    expect(plan.bodyFor(pro)).toEqual({ ...body, generationConfig: { maxOutputTokens: 65_536, candidateCount: 2, topK: 3 } });
    expect(body.generationConfig.maxOutputTokens).toBe(100_000);
    const plain = planForward('gemini.generateContent', { model: 'gemini-2.5-pro', contents }, pro, 4096);
    expect(plain.stream).toBe(false);
    expect(plain.bodyFor(pro)).toEqual({ model: 'gemini-2.5-pro', contents, generationConfig: { maxOutputTokens: 4096 } });
    expect(() => planForward('gemini.generateContent', { model: 'g', contents: [] }, pro, 4096)).toThrow(/contents/);
    expect(() => planForward('gemini.generateContent', { model: 'g', contents, generationConfig: { maxOutputTokens: 0 } }, pro, 4096)).toThrow(
      'generationConfig.maxOutputTokens must be a positive integer',
    );
  });

  it('holds nothing for output where nothing is generated', () => {
    const plan = planForward('embeddings', { model: 'e', input: 'some text' }, gpt, 4096);
    expect(plan.outputTokens).toBe(0);
    expect(plan.bodyFor(gpt)).toEqual({ model: 'gpt-4o-2024', input: 'some text' });
  });
});

describe('estimateBodyTokens', () => {
  it('counts text, and media parts at a flat allowance however large their data', () => {
    const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(400_000)}` } };
    const tokens = estimateBodyTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(40) }, image] }] }, ['messages']);
    expect(tokens).toBeGreaterThanOrEqual(MEDIA_PART_TOKENS + 10);
    expect(tokens).toBeLessThan(MEDIA_PART_TOKENS + 40);
  });
});

describe('usage meters', () => {
  it('OpenAI chat: usage from the last chunk, output counted from text and tool-call arguments', () => {
    const meter = new OpenAiChatMeter();
    meter.readEvent({ choices: [{ delta: { content: 'abcd' } }], usage: null });
    meter.readEvent({ choices: [{ delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{"a":1}' } }] } }] });
    expect(meter.usage).toBeUndefined();
    expect(meter.producedChars).toBe(4 + 1 + 7);
    const usageChunk = { choices: [], usage: { prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } } };
    expect(isUsageOnlyChunk(usageChunk)).toBe(true);
    expect(isUsageOnlyChunk({ choices: [{ delta: {} }], usage: null })).toBe(false);
    meter.readEvent(usageChunk);
    expect(meter.usage).toEqual({ inputTokens: 10, outputTokens: 3, cachedInputTokens: 4 });
  });

  it('Anthropic: input with cache reads and writes from message_start, output from message_delta', () => {
    const meter = new AnthropicMessagesMeter();
    meter.readEvent({ type: 'message_start', message: { usage: { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 1 } } });
    meter.readEvent({ type: 'content_block_delta', delta: { type: 'input_json_delta', partial_json: '{"x":' } });
    expect(meter.usage).toBeUndefined();
    meter.readEvent({ type: 'message_delta', usage: { output_tokens: 9 } });
    expect(meter.usage).toEqual({ inputTokens: 125, outputTokens: 9, cachedInputTokens: 100 });
    expect(meter.producedChars).toBe(5);
  });

  it('Responses API: usage from response.completed', () => {
    const meter = new OpenAiResponsesMeter();
    meter.readEvent({ type: 'response.output_text.delta', delta: 'Hello' });
    meter.readEvent({ type: 'response.completed', response: { usage: { input_tokens: 7, output_tokens: 2, input_tokens_details: { cached_tokens: 0 } } } });
    expect(meter.usage).toEqual({ inputTokens: 7, outputTokens: 2, cachedInputTokens: 0 });
    expect(meter.producedChars).toBe(5);
  });

  it('Gemini: the last usageMetadata, thinking as output, tool results as input, cached content', () => {
    const meter = new GeminiMeter();
    meter.readEvent({ candidates: [{ content: { parts: [{ text: 'abc' }] } }], usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 } });
    meter.readEvent({ candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: {} } }] }, finishReason: 'STOP' }] });
    meter.readEvent({
      candidates: [],
      usageMetadata: { promptTokenCount: 10, toolUsePromptTokenCount: 2, candidatesTokenCount: 5, thoughtsTokenCount: 7, cachedContentTokenCount: 4 },
    });
    expect(meter.usage).toEqual({ inputTokens: 12, outputTokens: 12, cachedInputTokens: 4 });
    expect(meter.producedChars).toBe(3 + JSON.stringify({ name: 'f', args: {} }).length);
  });
});
