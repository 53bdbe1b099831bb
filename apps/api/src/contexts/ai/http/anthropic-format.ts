import { ChatMessage, ChatRequest, DomainError, FinishReason, systemPrompt, TokenUsage } from '@sah/domain';

/**
 * Anthropic Messages wire format ⇄ the hub's request model.
 *
 * Decisions where the two do not line up:
 * - `top_k` is accepted (a positive integer) and ignored: OpenAI has no such knob and the hub's request
 *   model carries only what both providers honour. `metadata` is accepted and ignored too.
 * - Text blocks (in `system` and in message content) become paragraphs of one string. Prompt-cache
 *   hints (`cache_control`, top-level or on a block) and empty `citations` are accepted and not passed on. Any other block (image,
 *   document, tool_use, tool_result, thinking…) is refused: the gateway is text-only.
 * - `system`-role messages (allowed by recent API versions) are folded into the system prompt while they
 *   lead the conversation; one after a user or assistant turn cannot be expressed and is refused.
 * - Fields of Anthropic's API the gateway cannot honour (tools, thinking, …) get "not supported"; anything
 *   else is refused as Anthropic refuses extra inputs.
 */

const ACCEPTED = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'metadata',
  'cache_control',
]);
const NOT_SUPPORTED = new Set([
  'tools',
  'tool_choice',
  'thinking',
  'container',
  'mcp_servers',
  'output_config',
  'output_format',
  'context_management',
  'diagnostics',
  'inference_geo',
  'service_tier',
  'speed',
  'user_profile_id',
  'workspace_id',
]);
const TEXT_BLOCK_KEYS = new Set(['type', 'text', 'cache_control', 'citations']);

export interface AnthropicMessagesRequest {
  request: ChatRequest;
  stream: boolean;
}

/** Anthropic words its validation errors as `field.path: problem`. */
const bad = (path: string, problem: string) => DomainError.badInput(`${path}: ${problem}`, { param: path });

export function parseAnthropicRequest(body: unknown): AnthropicMessagesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw DomainError.badInput('The request body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (NOT_SUPPORTED.has(key)) throw bad(key, 'not supported by this gateway (text chat only)');
    if (!ACCEPTED.has(key)) throw bad(key, 'Extra inputs are not permitted');
  }
  if (typeof input.model !== 'string' || input.model === '') throw bad('model', 'Field required');
  if (input.max_tokens === undefined || input.max_tokens === null) throw bad('max_tokens', 'Field required');
  if (!Number.isInteger(input.max_tokens) || (input.max_tokens as number) < 1)
    throw bad('max_tokens', 'must be an integer of at least 1');
  if (!Array.isArray(input.messages) || input.messages.length === 0)
    throw bad('messages', 'at least one message is required');
  if (input.stream !== undefined && input.stream !== null && typeof input.stream !== 'boolean')
    throw bad('stream', 'Input should be a valid boolean');
  optionalObject(input.metadata, 'metadata');
  optionalObject(input.cache_control, 'cache_control');
  optionalNumber(input.top_k, 'top_k', 1, Number.MAX_SAFE_INTEGER, true);

  const system = input.system === undefined || input.system === null ? [] : [textOf(input.system, 'system')];
  const messages: ChatMessage[] = [];
  input.messages.forEach((raw: unknown, index) => {
    const path = `messages.${index}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw bad(path, 'Input should be a valid dictionary');
    const { role, content, ...rest } = raw as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw bad(`${path}.${extra}`, 'Extra inputs are not permitted');
    const text = textOf(content, `${path}.content`);
    if (role === 'system') {
      if (messages.length > 0)
        throw bad(
          `${path}.role`,
          'a system message after the first user or assistant turn is not supported by this gateway',
        );
      system.push(text);
    } else if (role === 'user' || role === 'assistant') {
      messages.push({ role, content: text });
    } else {
      throw bad(`${path}.role`, "Input should be 'user', 'assistant' or 'system'");
    }
  });
  if (messages.length === 0) throw bad('messages', 'at least one user or assistant message is required');

  return {
    request: {
      model: input.model,
      system: systemPrompt(system),
      messages,
      maxTokens: input.max_tokens as number,
      temperature: optionalNumber(input.temperature, 'temperature', 0, 1),
      topP: optionalNumber(input.top_p, 'top_p', 0, 1),
      stop: stopSequences(input.stop_sequences),
    },
    stream: input.stream === true,
  };
}

/** A string, or text blocks joined as paragraphs. */
function textOf(content: unknown, path: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw bad(path, 'Input should be a valid string or a list of content blocks');
  return content
    .map((block: unknown, index) => {
      const blockPath = `${path}.${index}`;
      if (typeof block !== 'object' || block === null || Array.isArray(block))
        throw bad(blockPath, 'Input should be a valid dictionary');
      const { type, text, citations } = block as Record<string, unknown>;
      if (type !== 'text')
        throw bad(
          `${blockPath}.type`,
          `${typeof type === 'string' ? type : 'this'} content is not supported by this gateway (text only)`,
        );
      if (typeof text !== 'string') throw bad(`${blockPath}.text`, 'Input should be a valid string');
      if (
        citations !== undefined &&
        citations !== null &&
        !(Array.isArray(citations) && citations.length === 0)
      ) {
        throw bad(`${blockPath}.citations`, 'citations are not supported by this gateway');
      }
      const extra = Object.keys(block).find((key) => !TEXT_BLOCK_KEYS.has(key));
      if (extra !== undefined) throw bad(`${blockPath}.${extra}`, 'Extra inputs are not permitted');
      return text;
    })
    .join('\n\n');
}

function stopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s === '')) {
    throw bad('stop_sequences', 'Input should be a list of non-empty strings');
  }
  return value.length ? (value as string[]) : undefined;
}

function optionalObject(value: unknown, path: string): void {
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value)))
    throw bad(path, 'Input should be a valid dictionary');
}

function optionalNumber(
  value: unknown,
  path: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw bad(path, `must be ${integer ? 'an integer' : 'a number'} ${range}`);
  }
  return value;
}

const STOP_REASON: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  stop_sequence: 'stop_sequence',
  content_filter: 'refusal',
};

export interface AnthropicStop {
  stop_reason: string;
  stop_sequence: string | null;
}

/**
 * The providers do not pass on which stop sequence matched, but when the request named only one,
 * that one it was.
 */
export function anthropicStop(finishReason: FinishReason, request: ChatRequest): AnthropicStop {
  const only = request.stop?.length === 1 ? request.stop[0] : undefined;
  return {
    stop_reason: STOP_REASON[finishReason],
    stop_sequence: finishReason === 'stop_sequence' && only !== undefined ? only : null,
  };
}

/** Anthropic ids look like `msg_…`; an upstream id of another shape is turned into one. */
export function anthropicMessageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id.replace(/[^A-Za-z0-9]/g, '')}`;
}

/**
 * Usage as Anthropic reports it. The hub charges every input token at the model's one price, so nothing
 * counts as read from or written to a prompt cache.
 */
export function anthropicUsage(usage: TokenUsage) {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: null,
    inference_geo: null,
    speed: null,
  };
}

/**
 * A Message object; every nullable field of the current API version is present. `text` null gives the
 * empty content of a stream's `message_start`.
 */
export function anthropicMessage(
  id: string,
  model: string,
  text: string | null,
  stop: AnthropicStop | null,
  usage: TokenUsage,
) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: text === null ? [] : [{ type: 'text', text, citations: null }],
    stop_reason: stop?.stop_reason ?? null,
    stop_sequence: stop?.stop_sequence ?? null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: anthropicUsage(usage),
  };
}

/** The streaming events, each named as its `type` (the SSE `event:` line). */
export const anthropicEvents = {
  messageStart: (message: ReturnType<typeof anthropicMessage>) => ({ type: 'message_start', message }),
  contentBlockStart: () => ({
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'text', text: '', citations: null },
  }),
  ping: () => ({ type: 'ping' }),
  textDelta: (text: string) => ({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'text_delta', text },
  }),
  contentBlockStop: () => ({ type: 'content_block_stop', index: 0 }),
  /** Usage here is the whole message's, input included: clients take it over `message_start`'s. */
  messageDelta: (stop: AnthropicStop, usage: TokenUsage) => {
    const {
      input_tokens,
      output_tokens,
      cache_creation_input_tokens,
      cache_read_input_tokens,
      output_tokens_details,
      server_tool_use,
    } = anthropicUsage(usage);
    return {
      type: 'message_delta',
      delta: { ...stop, stop_details: null, container: null },
      usage: {
        input_tokens,
        output_tokens,
        cache_creation_input_tokens,
        cache_read_input_tokens,
        output_tokens_details,
        server_tool_use,
      },
    };
  },
  messageStop: () => ({ type: 'message_stop' }),
};
