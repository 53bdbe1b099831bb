import { bad, Json, obj } from './json-parts';

/**
 * OpenAI Chat Completions → Gemini `generateContent`, for an OpenAI client calling a Gemini model
 * with what plain text cannot carry: tools, tool calls and results, inline (base64) images, JSON
 * output, system prompts and sampling settings map; what has no Gemini equivalent is refused with a
 * 400 naming the field. Images by http(s) URL are refused too: the hub never fetches a URL the
 * caller chose. The reply maps back in `gemini-to-openai.ts`. The one place for this pair.
 */

const present = (value: unknown) => value !== undefined && value !== null;

/** Fields that map (`user` and `stream_options` are read by the hub, not sent); everything else cannot reach Gemini. */
const MAPPED = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'user',
  'n',
]);

/** OpenAI sampling fields, their `generationConfig` names and OpenAI's ranges (checked here, before any call). */
const GENERATION: ReadonlyArray<[string, string, number, number]> = [
  ['temperature', 'temperature', 0, 2],
  ['top_p', 'topP', 0, 1],
  ['seed', 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ['presence_penalty', 'presencePenalty', -2, 2],
  ['frequency_penalty', 'frequencyPenalty', -2, 2],
];

/**
 * The Gemini request body, `model` included (the passthrough gateway resolves it and the adapter
 * moves it into the path). The output cap is left as the client sent it: the gateway clamps or inserts it.
 */
export function openAiToGeminiRequest(body: Json): Json {
  const unmapped = Object.keys(body).find((key) => !MAPPED.has(key));
  if (unmapped) throw bad(`${unmapped} cannot be sent to a Gemini model (no Gemini equivalent)`, unmapped);
  if (present(body['n']) && body['n'] !== 1) throw bad('n: Gemini models are asked for one choice at a time here', 'n');
  if (body['parallel_tool_calls'] === false) throw bad('parallel_tool_calls: Gemini models cannot be limited to one tool call', 'parallel_tool_calls');
  if (present(body['stream']) && typeof body['stream'] !== 'boolean') throw bad('stream must be a boolean', 'stream');
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) throw bad('messages must be a non-empty array', 'messages');

  const system: Json[] = [];
  const contents: Array<{ role: 'user' | 'model'; parts: Json[] }> = [];
  const toolNames = new Map<string, string>();
  const push = (role: 'user' | 'model', parts: Json[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    // Gemini wants turns to alternate: consecutive ones (several tool results, a result then text) merge.
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  body['messages'].forEach((raw, index) => {
    const message = obj(raw) ?? {};
    const where = `messages[${index}]`;
    switch (message['role']) {
      case 'system':
      case 'developer': {
        const text = textOf(message['content'], `${where}.content`);
        if (text) system.push({ text });
        break;
      }
      case 'user':
        push('user', userParts(message['content'], `${where}.content`));
        break;
      case 'assistant':
        push('model', modelParts(message, where, toolNames));
        break;
      case 'tool': {
        const id = message['tool_call_id'];
        const name = typeof id === 'string' ? toolNames.get(id) : undefined;
        if (!name) throw bad(`${where}.tool_call_id must name a tool call of an earlier assistant message`, `${where}.tool_call_id`);
        push('user', [{ functionResponse: { name, response: responseOf(textOf(message['content'], `${where}.content`)) } }]);
        break;
      }
      default:
        throw bad(`${where}.role must be system, developer, user, assistant or tool`, `${where}.role`);
    }
  });
  if (contents.length === 0) throw bad('messages must hold at least one user or assistant message', 'messages');

  const request: Json = { model: body['model'], contents };
  if (system.length) request['systemInstruction'] = { parts: system };
  if (Array.isArray(body['tools']) && body['tools'].length) {
    request['tools'] = [{ functionDeclarations: body['tools'].map((tool, i) => declarationOf(tool, i)) }];
    const choice = toolChoiceOf(body['tool_choice']);
    if (choice) request['toolConfig'] = { functionCallingConfig: choice };
  } else if (present(body['tool_choice']) && body['tool_choice'] !== 'none' && body['tool_choice'] !== 'auto') {
    throw bad('tool_choice needs tools', 'tool_choice');
  }

  const config: Json = {};
  const maxTokens = body['max_completion_tokens'] ?? body['max_tokens'];
  if (present(maxTokens)) config['maxOutputTokens'] = maxTokens;
  for (const [field, name, min, max] of GENERATION) {
    const value = body[field];
    if (!present(value)) continue;
    if (typeof value !== 'number' || value < min || value > max || (field === 'seed' && !Number.isInteger(value))) {
      throw bad(field === 'seed' ? 'seed must be an integer' : `${field} must be a number from ${min} to ${max}`, field);
    }
    config[name] = value;
  }
  if (present(body['stop'])) {
    const stop = typeof body['stop'] === 'string' ? [body['stop']] : body['stop'];
    if (!Array.isArray(stop) || stop.length > 4 || stop.some((s) => typeof s !== 'string')) throw bad('stop must be a string or up to 4 strings', 'stop');
    config['stopSequences'] = stop;
  }
  Object.assign(config, responseFormatOf(body['response_format']));
  if (Object.keys(config).length) request['generationConfig'] = config;
  return request;
}

function textOf(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((raw, i) => {
        const part = obj(raw);
        if (part?.['type'] !== 'text' || typeof part['text'] !== 'string') throw bad(`${param}[${i}]: only text parts are allowed here`, `${param}[${i}]`);
        return part['text'];
      })
      .join('');
  }
  if (content === null || content === undefined) return '';
  throw bad(`${param} must be a string or an array of parts`, param);
}

function userParts(content: unknown, param: string): Json[] {
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw bad(`${param} must be a string or an array of parts`, param);
  return content.map((raw, i) => {
    const part = obj(raw) ?? {};
    const where = `${param}[${i}]`;
    if (part['type'] === 'text' && typeof part['text'] === 'string') return { text: part['text'] };
    if (part['type'] === 'image_url') return inlineImage(obj(part['image_url'])?.['url'], where);
    throw bad(`${where} (${String(part['type'])}) cannot be sent to a Gemini model: only text and image_url parts map`, where);
  });
}

/** Only `data:` URLs: fetching a URL the caller chose would let callers reach what the hub can reach. */
function inlineImage(url: unknown, param: string): Json {
  const data = typeof url === 'string' ? /^data:([^;,]+);base64,(.+)$/s.exec(url) : null;
  if (!data) {
    throw bad(
      `${param} (image_url) is not text or an inline image: a Gemini model takes images as base64 data: URLs here; the hub does not fetch image URLs`,
      param,
    );
  }
  return { inlineData: { mimeType: data[1], data: data[2] } };
}

function modelParts(message: Json, where: string, toolNames: Map<string, string>): Json[] {
  const parts: Json[] = [];
  const text = textOf(message['content'], `${where}.content`);
  if (text) parts.push({ text });
  const calls = Array.isArray(message['tool_calls']) ? message['tool_calls'] : [];
  calls.forEach((raw, i) => {
    const call = obj(raw) ?? {};
    const fn = obj(call['function']) ?? {};
    const param = `${where}.tool_calls[${i}]`;
    if (typeof fn['name'] !== 'string' || !fn['name']) throw bad(`${param}.function.name is required`, `${param}.function.name`);
    let args: unknown;
    try {
      args = JSON.parse(typeof fn['arguments'] === 'string' && fn['arguments'] ? fn['arguments'] : '{}');
    } catch {
      throw bad(`${param}.function.arguments must be JSON`, `${param}.function.arguments`);
    }
    if (!obj(args)) throw bad(`${param}.function.arguments must be a JSON object`, `${param}.function.arguments`);
    if (typeof call['id'] === 'string') toolNames.set(call['id'], fn['name']);
    parts.push({ functionCall: { name: fn['name'], args } });
  });
  return parts;
}

/** Gemini takes a tool's result as an object: a JSON object as it is, anything else wrapped. */
function responseOf(text: string): Json {
  try {
    const parsed = obj(JSON.parse(text));
    if (parsed) return parsed;
  } catch {
    // Not JSON: sent as text.
  }
  return { content: text };
}

function declarationOf(raw: unknown, index: number): Json {
  const tool = obj(raw) ?? {};
  const fn = obj(tool['function']);
  if (tool['type'] !== 'function' || !fn || typeof fn['name'] !== 'string') throw bad(`tools[${index}] must be a function tool with a name`, `tools[${index}]`);
  return {
    name: fn['name'],
    ...(typeof fn['description'] === 'string' ? { description: fn['description'] } : {}),
    ...(obj(fn['parameters']) ? { parameters: fn['parameters'] } : {}),
  };
}

function toolChoiceOf(choice: unknown): Json | undefined {
  if (!present(choice)) return undefined;
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  const name = obj(obj(choice)?.['function'])?.['name'];
  if (obj(choice)?.['type'] === 'function' && typeof name === 'string') return { mode: 'ANY', allowedFunctionNames: [name] };
  throw bad('tool_choice must be auto, none, required or a function', 'tool_choice');
}

function responseFormatOf(raw: unknown): Json {
  if (!present(raw)) return {};
  const format = obj(raw);
  switch (format?.['type']) {
    case 'text':
      return {};
    case 'json_object':
      return { responseMimeType: 'application/json' };
    case 'json_schema': {
      const schema = obj(obj(format['json_schema'])?.['schema']);
      if (!schema) throw bad('response_format.json_schema.schema is required', 'response_format');
      return { responseMimeType: 'application/json', responseJsonSchema: schema };
    }
    default:
      throw bad('response_format.type must be text, json_object or json_schema', 'response_format');
  }
}
