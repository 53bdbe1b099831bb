import { Json, obj } from './json-parts';

/**
 * Gemini `generateContent` replies → OpenAI Chat Completions, the reply half of
 * `openai-to-gemini.ts`: text, function calls as tool calls (ids the hub makes up, Gemini has
 * none), finish reasons and usage counted as the hub meters Gemini (thoughts are output, tool-use
 * prompts input), so what the client sees is what it is charged for.
 */

const int = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);

function finishOf(reason: unknown, calledTools: boolean): string {
  if (calledTools) return 'tool_calls';
  if (reason === 'MAX_TOKENS') return 'length';
  if (typeof reason === 'string' && FILTERED.has(reason)) return 'content_filter';
  return 'stop';
}

function usageOf(metadata: Json | undefined) {
  const prompt = int(metadata?.['promptTokenCount']) + int(metadata?.['toolUsePromptTokenCount']);
  const completion = int(metadata?.['candidatesTokenCount']) + int(metadata?.['thoughtsTokenCount']);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: int(metadata?.['cachedContentTokenCount']) },
    completion_tokens_details: { reasoning_tokens: int(metadata?.['thoughtsTokenCount']) },
  };
}

/** The first candidate's parts: answer text (thoughts left out) and function calls. */
function partsOf(response: Json | undefined): { text: string; calls: Array<{ name: unknown; args: unknown }>; finish: unknown } {
  const candidate = obj((response?.['candidates'] as unknown[] | undefined)?.[0]);
  const parts = obj(candidate?.['content'])?.['parts'];
  let text = '';
  const calls: Array<{ name: unknown; args: unknown }> = [];
  for (const raw of Array.isArray(parts) ? parts : []) {
    const part = obj(raw) ?? {};
    const call = obj(part['functionCall']);
    if (call) calls.push({ name: call['name'], args: call['args'] ?? {} });
    else if (typeof part['text'] === 'string' && part['thought'] !== true) text += part['text'];
  }
  return { text, calls, finish: candidate?.['finishReason'] };
}

/** A Gemini `GenerateContentResponse` as an OpenAI `chat.completion`; `newCallId` names each tool call. */
export function geminiToOpenAiCompletion(response: Json, created: number, model: string, newCallId: () => string): Json {
  const { text, calls, finish } = partsOf(response);
  const toolCalls = calls.map((call) => ({ id: newCallId(), type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }));
  return {
    id: `chatcmpl-${String(response['responseId'] ?? '')}`,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text || (toolCalls.length ? null : ''), refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: finishOf(finish, toolCalls.length > 0),
      },
    ],
    usage: usageOf(obj(response['usageMetadata'])),
  };
}

/**
 * Gemini's stream chunks as OpenAI `chat.completion.chunk`s. Gemini sends each function call whole,
 * so each becomes one tool-call delta with its id, name and full arguments. Gemini's stream has no
 * closing event: `end()` gives the usage chunk (if asked for) and `[DONE]`.
 */
export class GeminiToOpenAiChunks {
  private id = 'chatcmpl-';
  private started = false;
  private finished = false;
  private toolCalls = 0;
  private usage: Json | undefined;

  constructor(
    private readonly created: number,
    private readonly model: string,
    private readonly includeUsage: boolean,
    private readonly newCallId: () => string,
  ) {}

  /** The chunks one Gemini stream chunk becomes. */
  next(data: unknown): Json[] {
    const response = obj(data);
    if (!response) return [];
    const chunks: Json[] = [];
    if (!this.started) {
      this.started = true;
      this.id = `chatcmpl-${String(response['responseId'] ?? '')}`;
      chunks.push(this.chunk({ role: 'assistant', content: '' }));
    }
    if (obj(response['usageMetadata'])) this.usage = obj(response['usageMetadata']);
    const { text, calls, finish } = partsOf(response);
    if (text) chunks.push(this.chunk({ content: text }));
    for (const call of calls) {
      const index = this.toolCalls++;
      chunks.push(this.chunk({ tool_calls: [{ index, id: this.newCallId(), type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }] }));
    }
    if (typeof finish === 'string' && finish !== 'FINISH_REASON_UNSPECIFIED' && !this.finished) {
      this.finished = true;
      chunks.push(this.chunk({}, finishOf(finish, this.toolCalls > 0)));
    }
    return chunks;
  }

  /** What follows the last chunk: the usage chunk when the client asked for it, then `[DONE]`. */
  end(): Array<Json | '[DONE]'> {
    const chunks: Array<Json | '[DONE]'> = [];
    if (!this.finished) chunks.push(this.chunk({}, finishOf(undefined, this.toolCalls > 0)));
    if (this.includeUsage) chunks.push({ ...this.chunk({}), choices: [], usage: usageOf(this.usage) });
    chunks.push('[DONE]');
    return chunks;
  }

  private chunk(delta: Json, finish: string | null = null): Json {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
  }
}
