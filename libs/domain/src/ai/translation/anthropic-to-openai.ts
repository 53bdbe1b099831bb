import { bad, Json, obj } from './json-parts';

/**
 * Anthropic Messages → OpenAI Chat Completions, for an Anthropic client calling a GPT model: tools,
 * tool_use and tool_result blocks, images, system prompts, stop sequences and thinking budgets map;
 * what has no OpenAI equivalent is refused with a 400 naming the field. The reply maps back
 * (`openAiToAnthropicMessage`, `OpenAiToAnthropicEvents`). The one place for this pair.
 */

const MAPPED = new Set(['model', 'messages', 'system', 'max_tokens', 'temperature', 'top_p', 'stop_sequences', 'stream', 'tools', 'tool_choice', 'metadata', 'thinking']);

/** `target` names the model in refusals (the Gemini path composes this step with `openAiToGeminiRequest`). */
export function anthropicToOpenAiRequest(body: Json, target = 'a GPT model'): Json {
  const unmapped = Object.keys(body).find((key) => !MAPPED.has(key));
  if (unmapped) throw bad(`${unmapped}: not supported for ${target} (no OpenAI equivalent)`, unmapped);
  if (typeof body['max_tokens'] !== 'number') throw bad('max_tokens: Field required', 'max_tokens');
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) throw bad('messages: Field required', 'messages');

  const messages: Json[] = [];
  const system = typeof body['system'] === 'string' ? body['system'] : texts(body['system'], 'system');
  if (system) messages.push({ role: 'system', content: system });
  body['messages'].forEach((raw, index) => {
    const message = obj(raw) ?? {};
    const where = `messages.${index}`;
    const blocks = typeof message['content'] === 'string' ? [{ type: 'text', text: message['content'] }] : message['content'];
    if (!Array.isArray(blocks)) throw bad(`${where}.content: Input should be a valid list`, `${where}.content`);
    if (message['role'] === 'user') messages.push(...userMessages(blocks as unknown[], where, target));
    else if (message['role'] === 'assistant') messages.push(assistantMessage(blocks as unknown[], where, target));
    else throw bad(`${where}.role: Input should be 'user' or 'assistant'`, `${where}.role`);
  });

  const request: Json = { model: body['model'], messages, max_completion_tokens: body['max_tokens'] };
  for (const field of ['temperature', 'top_p'] as const) if (body[field] !== undefined) request[field] = body[field];
  if (Array.isArray(body['stop_sequences']) && body['stop_sequences'].length) request['stop'] = body['stop_sequences'];
  if (body['stream'] === true) Object.assign(request, { stream: true, stream_options: { include_usage: true } });
  const user = obj(body['metadata'])?.['user_id'];
  if (typeof user === 'string') request['user'] = user;
  if (Array.isArray(body['tools']) && body['tools'].length) request['tools'] = body['tools'].map((tool, i) => toolOf(tool, i, target));
  Object.assign(request, toolChoiceOf(body['tool_choice']));
  const thinking = obj(body['thinking']);
  if (thinking?.['type'] === 'enabled') {
    const budget = Number(thinking['budget_tokens'] ?? 0);
    request['reasoning_effort'] = budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
  }
  return request;
}

function texts(blocks: unknown, param: string): string {
  if (blocks === undefined || blocks === null) return '';
  if (!Array.isArray(blocks)) throw bad(`${param}: Input should be a string or a list of text blocks`, param);
  return blocks.map((raw) => String(obj(raw)?.['text'] ?? '')).join('\n\n');
}

/** Tool results become `tool` messages (ahead of the user's own words), the rest one user message. */
function userMessages(blocks: unknown[], where: string, target: string): Json[] {
  const tools: Json[] = [];
  const parts: Json[] = [];
  blocks.forEach((raw, i) => {
    const block = obj(raw) ?? {};
    const param = `${where}.content.${i}`;
    switch (block['type']) {
      case 'text':
        parts.push({ type: 'text', text: String(block['text'] ?? '') });
        break;
      case 'image': {
        const source = obj(block['source']) ?? {};
        const url = source['type'] === 'base64' ? `data:${String(source['media_type'])};base64,${String(source['data'])}` : source['url'];
        if (typeof url !== 'string') throw bad(`${param}.source: a base64 or url image is required`, param);
        parts.push({ type: 'image_url', image_url: { url } });
        break;
      }
      case 'tool_result': {
        const content = typeof block['content'] === 'string' ? block['content'] : texts(block['content'], `${param}.content`);
        tools.push({ role: 'tool', tool_call_id: block['tool_use_id'], content: block['is_error'] === true ? `Error: ${content}` : content });
        break;
      }
      default:
        throw bad(`${param}: ${String(block['type'])} blocks cannot be sent to ${target}`, `${param}.type`);
    }
  });
  const onlyText = parts.every((part) => part['type'] === 'text');
  const content = onlyText ? parts.map((part) => part['text']).join('') : parts;
  return parts.length ? [...tools, { role: 'user', content }] : tools;
}

function assistantMessage(blocks: unknown[], where: string, target: string): Json {
  let text = '';
  const calls: Json[] = [];
  blocks.forEach((raw, i) => {
    const block = obj(raw) ?? {};
    if (block['type'] === 'text') text += String(block['text'] ?? '');
    else if (block['type'] === 'tool_use') calls.push({ id: block['id'], type: 'function', function: { name: block['name'], arguments: JSON.stringify(block['input'] ?? {}) } });
    // The model's own thinking is not sent back to another provider.
    else if (block['type'] !== 'thinking' && block['type'] !== 'redacted_thinking') {
      throw bad(`${where}.content.${i}: ${String(block['type'])} blocks cannot be sent to ${target}`, `${where}.content.${i}.type`);
    }
  });
  return { role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) };
}

function toolOf(raw: unknown, index: number, target: string): Json {
  const tool = obj(raw) ?? {};
  if (typeof tool['name'] !== 'string' || (tool['type'] !== undefined && tool['type'] !== 'custom')) {
    throw bad(`tools.${index}: only custom tools (name, input_schema) can be sent to ${target}`, `tools.${index}`);
  }
  return { type: 'function', function: { name: tool['name'], ...(typeof tool['description'] === 'string' ? { description: tool['description'] } : {}), parameters: tool['input_schema'] ?? { type: 'object' } } };
}

function toolChoiceOf(raw: unknown): Json {
  const choice = obj(raw);
  if (!choice) return {};
  const parallel = choice['disable_parallel_tool_use'] === true ? { parallel_tool_calls: false } : {};
  switch (choice['type']) {
    case 'auto':
      return { tool_choice: 'auto', ...parallel };
    case 'any':
      return { tool_choice: 'required', ...parallel };
    case 'none':
      return { tool_choice: 'none' };
    case 'tool':
      return { tool_choice: { type: 'function', function: { name: choice['name'] } }, ...parallel };
    default:
      throw bad('tool_choice.type must be auto, any, tool or none', 'tool_choice');
  }
}

const STOP: Record<string, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', function_call: 'tool_use', content_filter: 'refusal' };

function usageOf(usage: Json | undefined) {
  const cached = Number(obj(usage?.['prompt_tokens_details'])?.['cached_tokens'] ?? 0);
  return { input_tokens: Number(usage?.['prompt_tokens'] ?? 0) - cached, cache_read_input_tokens: cached, cache_creation_input_tokens: 0, output_tokens: Number(usage?.['completion_tokens'] ?? 0) };
}

/** An OpenAI `chat.completion` as a Claude Message. */
export function openAiToAnthropicMessage(completion: Json): Json {
  const choice = obj((completion['choices'] as unknown[] | undefined)?.[0]) ?? {};
  const message = obj(choice['message']) ?? {};
  const content: Json[] = [];
  if (typeof message['content'] === 'string' && message['content']) content.push({ type: 'text', text: message['content'] });
  for (const raw of Array.isArray(message['tool_calls']) ? message['tool_calls'] : []) {
    const call = obj(raw) ?? {};
    const fn = obj(call['function']) ?? {};
    content.push({ type: 'tool_use', id: call['id'], name: fn['name'], input: parseArguments(fn['arguments']) });
  }
  return {
    id: `msg_${String(completion['id'] ?? '').replace(/^chatcmpl-/, '')}`,
    type: 'message',
    role: 'assistant',
    model: completion['model'],
    content,
    stop_reason: STOP[String(choice['finish_reason'])] ?? 'end_turn',
    stop_sequence: null,
    usage: usageOf(obj(completion['usage'])),
  };
}

function parseArguments(text: unknown): unknown {
  try {
    return JSON.parse(typeof text === 'string' && text ? text : '{}');
  } catch {
    return {};
  }
}

/** OpenAI's chunks as Claude's event sequence, tool calls as tool_use blocks with input_json_delta. */
export class OpenAiToAnthropicEvents {
  private started = false;
  private block: { index: number; kind: 'text' | 'tool'; toolIndex?: number } | undefined;
  private blocks = 0;
  private stopReason = 'end_turn';
  private usage: Json | undefined;

  /** The `[event, data]` pairs one chunk (or `[DONE]`, passed as undefined) becomes. */
  next(chunk: Json | undefined): Array<[string, Json]> {
    const events: Array<[string, Json]> = [];
    if (!chunk) {
      this.close(events);
      events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: this.stopReason, stop_sequence: null }, usage: usageOf(this.usage) }]);
      events.push(['message_stop', { type: 'message_stop' }]);
      return events;
    }
    if (!this.started) {
      this.started = true;
      const message = { id: `msg_${String(chunk['id'] ?? '').replace(/^chatcmpl-/, '')}`, type: 'message', role: 'assistant', model: chunk['model'], content: [], stop_reason: null, stop_sequence: null };
      events.push(['message_start', { type: 'message_start', message: { ...message, usage: { input_tokens: 0, output_tokens: 0 } } }]);
    }
    if (obj(chunk['usage'])) this.usage = obj(chunk['usage']);
    const choice = obj((chunk['choices'] as unknown[] | undefined)?.[0]);
    const delta = obj(choice?.['delta']);
    if (typeof delta?.['content'] === 'string' && delta['content']) {
      if (this.block?.kind !== 'text') this.open(events, { type: 'text', text: '' }, 'text');
      events.push(['content_block_delta', { type: 'content_block_delta', index: this.block?.index, delta: { type: 'text_delta', text: delta['content'] } }]);
    }
    for (const raw of Array.isArray(delta?.['tool_calls']) ? delta['tool_calls'] : []) {
      const call = obj(raw) ?? {};
      const fn = obj(call['function']) ?? {};
      if (call['id'] || this.block?.kind !== 'tool' || this.block.toolIndex !== call['index']) {
        this.open(events, { type: 'tool_use', id: call['id'], name: fn['name'], input: {} }, 'tool', Number(call['index'] ?? 0));
      }
      if (typeof fn['arguments'] === 'string' && fn['arguments']) {
        events.push(['content_block_delta', { type: 'content_block_delta', index: this.block?.index, delta: { type: 'input_json_delta', partial_json: fn['arguments'] } }]);
      }
    }
    if (typeof choice?.['finish_reason'] === 'string') this.stopReason = STOP[choice['finish_reason']] ?? 'end_turn';
    return events;
  }

  private open(events: Array<[string, Json]>, block: Json, kind: 'text' | 'tool', toolIndex?: number): void {
    this.close(events);
    this.block = { index: this.blocks++, kind, toolIndex };
    events.push(['content_block_start', { type: 'content_block_start', index: this.block.index, content_block: block }]);
  }

  private close(events: Array<[string, Json]>): void {
    if (!this.block) return;
    events.push(['content_block_stop', { type: 'content_block_stop', index: this.block.index }]);
    this.block = undefined;
  }
}
