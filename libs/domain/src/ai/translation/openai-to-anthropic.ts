import { bad, Json, obj } from './json-parts';

/**
 * OpenAI Chat Completions → Anthropic Messages, for an OpenAI client calling a Claude model: tools,
 * tool calls and results, images (URL and base64), system prompts, stop sequences and reasoning
 * effort map; what has no Anthropic equivalent is refused with a 400 naming the field. The reply
 * maps back (`anthropicToOpenAiCompletion`, `AnthropicToOpenAiChunks`). The one place for this pair.
 */

/** Fields that map; `stream_options` and `user` are read, everything else cannot reach Claude. */
const MAPPED = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'user',
  'n',
  'reasoning_effort',
  'response_format',
]);

/** Thinking budgets for OpenAI's effort levels. */
const EFFORT_BUDGET: Record<string, number> = { minimal: 1024, low: 1024, medium: 4096, high: 16_384 };

export function openAiToAnthropicRequest(body: Json, defaultMaxTokens: number): Json {
  const unmapped = Object.keys(body).find((key) => !MAPPED.has(key));
  if (unmapped) throw bad(`${unmapped} cannot be sent to a Claude model (no Anthropic equivalent)`, unmapped);
  if (body['n'] !== undefined && body['n'] !== null && body['n'] !== 1) throw bad('n: Claude models answer one choice at a time', 'n');
  const format = obj(body['response_format'])?.['type'];
  if (format !== undefined && format !== 'text') throw bad('response_format: Claude models have no JSON mode; describe the format in the prompt or use a tool', 'response_format');
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) throw bad('messages must be a non-empty array', 'messages');

  const system: string[] = [];
  const messages: Array<{ role: 'user' | 'assistant'; content: Json[] }> = [];
  const push = (role: 'user' | 'assistant', blocks: Json[]) => {
    const last = messages[messages.length - 1];
    // Anthropic wants user and assistant turns to alternate: consecutive ones (tool results) merge.
    if (last && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  body['messages'].forEach((raw, index) => {
    const message = obj(raw) ?? {};
    const where = `messages[${index}]`;
    switch (message['role']) {
      case 'system':
      case 'developer':
        system.push(textOf(message['content'], `${where}.content`));
        break;
      case 'user':
        push('user', userBlocks(message['content'], `${where}.content`));
        break;
      case 'assistant':
        push('assistant', assistantBlocks(message, where));
        break;
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: String(message['tool_call_id'] ?? ''), content: textOf(message['content'], `${where}.content`) }]);
        break;
      default:
        throw bad(`${where}.role must be system, developer, user, assistant or tool`, `${where}.role`);
    }
  });

  const maxTokens = body['max_completion_tokens'] ?? body['max_tokens'] ?? defaultMaxTokens;
  const request: Json = { model: body['model'], max_tokens: maxTokens, messages };
  if (system.length) request['system'] = system.join('\n\n');
  for (const field of ['temperature', 'top_p', 'stream'] as const) if (body[field] !== undefined && body[field] !== null) request[field] = body[field];
  if (body['stop'] !== undefined && body['stop'] !== null) request['stop_sequences'] = typeof body['stop'] === 'string' ? [body['stop']] : body['stop'];
  if (typeof body['user'] === 'string') request['metadata'] = { user_id: body['user'] };
  if (Array.isArray(body['tools']) && body['tools'].length) request['tools'] = body['tools'].map((tool, i) => toolOf(tool, i));
  const choice = toolChoiceOf(body['tool_choice'], body['parallel_tool_calls']);
  if (choice && request['tools']) request['tool_choice'] = choice;
  if (body['reasoning_effort'] !== undefined && body['reasoning_effort'] !== null) {
    const budget = EFFORT_BUDGET[String(body['reasoning_effort'])];
    if (!budget) throw bad('reasoning_effort must be minimal, low, medium or high', 'reasoning_effort');
    if (typeof maxTokens !== 'number' || maxTokens <= budget) throw bad(`reasoning_effort ${String(body['reasoning_effort'])} needs max_tokens above ${budget} on a Claude model`, 'max_tokens');
    request['thinking'] = { type: 'enabled', budget_tokens: budget };
  }
  return request;
}

function textOf(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        const text = obj(part);
        if (text?.['type'] !== 'text' || typeof text['text'] !== 'string') throw bad(`${param}: only text parts are allowed here`, param);
        return text['text'];
      })
      .join('');
  }
  if (content === null || content === undefined) return '';
  throw bad(`${param} must be a string or an array of parts`, param);
}

function userBlocks(content: unknown, param: string): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw bad(`${param} must be a string or an array of parts`, param);
  return content.map((raw, i) => {
    const part = obj(raw) ?? {};
    if (part['type'] === 'text') return { type: 'text', text: String(part['text'] ?? '') };
    if (part['type'] === 'image_url') return imageOf(obj(part['image_url'])?.['url'], `${param}[${i}].image_url`);
    throw bad(`${param}[${i}]: ${String(part['type'])} parts cannot be sent to a Claude model`, `${param}[${i}].type`);
  });
}

/** `data:` URLs become base64 sources, others URL sources. */
function imageOf(url: unknown, param: string): Json {
  if (typeof url !== 'string') throw bad(`${param}.url is required`, param);
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } };
  if (!/^https?:\/\//.test(url)) throw bad(`${param}.url must be an http(s) or data: URL`, param);
  return { type: 'image', source: { type: 'url', url } };
}

function assistantBlocks(message: Json, where: string): Json[] {
  const blocks: Json[] = [];
  const text = textOf(message['content'], `${where}.content`);
  if (text) blocks.push({ type: 'text', text });
  const calls = Array.isArray(message['tool_calls']) ? message['tool_calls'] : [];
  calls.forEach((raw, i) => {
    const call = obj(raw) ?? {};
    const fn = obj(call['function']) ?? {};
    let input: unknown;
    try {
      input = JSON.parse(typeof fn['arguments'] === 'string' && fn['arguments'] ? fn['arguments'] : '{}');
    } catch {
      throw bad(`${where}.tool_calls[${i}].function.arguments must be JSON`, `${where}.tool_calls[${i}].function.arguments`);
    }
    blocks.push({ type: 'tool_use', id: call['id'], name: fn['name'], input });
  });
  return blocks;
}

function toolOf(raw: unknown, index: number): Json {
  const tool = obj(raw) ?? {};
  const fn = obj(tool['function']);
  if (tool['type'] !== 'function' || !fn || typeof fn['name'] !== 'string') throw bad(`tools[${index}] must be a function tool with a name`, `tools[${index}]`);
  return {
    name: fn['name'],
    ...(typeof fn['description'] === 'string' ? { description: fn['description'] } : {}),
    input_schema: obj(fn['parameters']) ?? { type: 'object', properties: {} },
  };
}

function toolChoiceOf(choice: unknown, parallel: unknown): Json | undefined {
  const single = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null) return parallel === false ? { type: 'auto', ...single } : undefined;
  if (choice === 'auto') return { type: 'auto', ...single };
  if (choice === 'required') return { type: 'any', ...single };
  if (choice === 'none') return { type: 'none' };
  const name = obj(obj(choice)?.['function'])?.['name'];
  if (typeof name === 'string') return { type: 'tool', name, ...single };
  throw bad('tool_choice must be auto, required, none or a function', 'tool_choice');
}

const FINISH: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', refusal: 'content_filter', pause_turn: 'stop' };

function usageOf(usage: Json | undefined, output: number) {
  const cached = Number(usage?.['cache_read_input_tokens'] ?? 0);
  const prompt = Number(usage?.['input_tokens'] ?? 0) + cached + Number(usage?.['cache_creation_input_tokens'] ?? 0);
  return { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output, prompt_tokens_details: { cached_tokens: cached } };
}

/** A Claude Message as an OpenAI `chat.completion`. */
export function anthropicToOpenAiCompletion(message: Json, created: number): Json {
  const blocks = Array.isArray(message['content']) ? (message['content'] as Json[]) : [];
  const text = blocks.filter((b) => b['type'] === 'text').map((b) => String(b['text'] ?? '')).join('');
  const calls = blocks
    .filter((b) => b['type'] === 'tool_use')
    .map((b) => ({ id: b['id'], type: 'function', function: { name: b['name'], arguments: JSON.stringify(b['input'] ?? {}) } }));
  const usage = obj(message['usage']);
  return {
    id: `chatcmpl-${String(message['id'] ?? '')}`,
    object: 'chat.completion',
    created,
    model: message['model'],
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text || (calls.length ? null : ''), refusal: null, ...(calls.length ? { tool_calls: calls } : {}) },
        logprobs: null,
        finish_reason: FINISH[String(message['stop_reason'])] ?? 'stop',
      },
    ],
    usage: usageOf(usage, Number(usage?.['output_tokens'] ?? 0)),
  };
}

/** Claude's stream events as OpenAI `chat.completion.chunk`s, tool-call deltas included. */
export class AnthropicToOpenAiChunks {
  private id = 'chatcmpl-';
  private model: unknown = null;
  private inputUsage: Json | undefined;
  private readonly toolIndex = new Map<number, number>();

  constructor(
    private readonly created: number,
    private readonly includeUsage: boolean,
  ) {}

  /** The chunks (and the closing `[DONE]`) one Anthropic event becomes. */
  next(data: unknown): Array<Json | '[DONE]'> {
    const event = obj(data);
    switch (event?.['type']) {
      case 'message_start': {
        const message = obj(event['message']) ?? {};
        this.id = `chatcmpl-${String(message['id'] ?? '')}`;
        this.model = message['model'];
        this.inputUsage = obj(message['usage']);
        return [this.chunk({ role: 'assistant', content: '' })];
      }
      case 'content_block_start': {
        const block = obj(event['content_block']);
        if (block?.['type'] !== 'tool_use') return [];
        const index = this.toolIndex.size;
        this.toolIndex.set(Number(event['index']), index);
        return [this.chunk({ tool_calls: [{ index, id: block['id'], type: 'function', function: { name: block['name'], arguments: '' } }] })];
      }
      case 'content_block_delta': {
        const delta = obj(event['delta']);
        if (delta?.['type'] === 'text_delta') return [this.chunk({ content: delta['text'] })];
        if (delta?.['type'] === 'input_json_delta') {
          const index = this.toolIndex.get(Number(event['index'])) ?? 0;
          return [this.chunk({ tool_calls: [{ index, function: { arguments: delta['partial_json'] } }] })];
        }
        return [];
      }
      case 'message_delta': {
        const stop = obj(event['delta'])?.['stop_reason'];
        const chunks: Array<Json | '[DONE]'> = [this.chunk({}, FINISH[String(stop)] ?? 'stop')];
        const usage = obj(event['usage']);
        if (this.includeUsage) chunks.push({ ...this.chunk({}), choices: [], usage: usageOf({ ...this.inputUsage, ...usage }, Number(usage?.['output_tokens'] ?? 0)) });
        return chunks;
      }
      case 'message_stop':
        return ['[DONE]'];
      case 'error':
        return [{ error: { message: String(obj(event['error'])?.['message'] ?? 'The provider failed during the stream'), type: 'api_error', param: null, code: 'provider_error' } }];
      default:
        return [];
    }
  }

  private chunk(delta: Json, finish: string | null = null): Json {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
  }
}
