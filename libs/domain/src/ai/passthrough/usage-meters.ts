import type { TokenUsage } from '../chat';

/**
 * Reads what a call used out of a provider's own response, without translating it: the JSON body of
 * a plain call, or the stream's events one by one. Only the fields that are metered are looked at.
 */
export interface UsageMeter {
  readBody(body: unknown): void;
  readEvent(data: unknown): void;
  /** The provider's count, once it reported one. */
  readonly usage: TokenUsage | undefined;
  /** Output characters streamed so far (text, tool-call arguments, thinking): the charge of a cut stream. */
  readonly producedChars: number;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const int = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);
const len = (value: unknown): number => (typeof value === 'string' ? value.length : 0);

/** Chat Completions: `usage` on the body, or on the stream's last chunk (`stream_options.include_usage`). */
export class OpenAiChatMeter implements UsageMeter {
  usage: TokenUsage | undefined;
  producedChars = 0;

  readBody(body: unknown): void {
    this.readUsage(obj(body)?.['usage']);
  }

  readEvent(data: unknown): void {
    const chunk = obj(data);
    if (!chunk) return;
    for (const choice of Array.isArray(chunk['choices']) ? chunk['choices'] : []) {
      const delta = obj(obj(choice)?.['delta']);
      if (!delta) continue;
      this.producedChars += len(delta['content']) + len(delta['refusal']) + len(delta['reasoning_content']);
      for (const call of Array.isArray(delta['tool_calls']) ? delta['tool_calls'] : []) {
        const fn = obj(obj(call)?.['function']);
        this.producedChars += len(fn?.['name']) + len(fn?.['arguments']);
      }
    }
    this.readUsage(chunk['usage']);
  }

  private readUsage(value: unknown): void {
    const usage = obj(value);
    if (!usage) return;
    this.usage = {
      inputTokens: int(usage['prompt_tokens']),
      outputTokens: int(usage['completion_tokens']),
      cachedInputTokens: int(obj(usage['prompt_tokens_details'])?.['cached_tokens']),
    };
  }
}

/** A chunk that carries only the usage the hub asked for on the client's behalf (`choices: []`). */
export function isUsageOnlyChunk(data: unknown): boolean {
  const chunk = obj(data);
  return !!chunk && Array.isArray(chunk['choices']) && chunk['choices'].length === 0 && obj(chunk['usage']) !== undefined;
}

/**
 * Messages: `usage` on the body; in a stream the input counts come with `message_start` and the
 * output count (a running total) with `message_delta`. Cache reads and writes are input too.
 */
export class AnthropicMessagesMeter implements UsageMeter {
  usage: TokenUsage | undefined;
  producedChars = 0;
  private input: Json | undefined;
  private output: number | undefined;

  readBody(body: unknown): void {
    const usage = obj(obj(body)?.['usage']);
    if (!usage) return;
    this.input = usage;
    this.output = int(usage['output_tokens']);
    this.update();
  }

  readEvent(data: unknown): void {
    const event = obj(data);
    switch (event?.['type']) {
      case 'message_start':
        this.input = obj(obj(event['message'])?.['usage']);
        break;
      case 'content_block_delta': {
        const delta = obj(event['delta']);
        this.producedChars += len(delta?.['text']) + len(delta?.['partial_json']) + len(delta?.['thinking']);
        return;
      }
      case 'message_delta': {
        const usage = obj(event['usage']);
        // Newer streams repeat the input counts here; they are the final ones.
        if (usage && usage['input_tokens'] !== undefined && usage['input_tokens'] !== null) this.input = { ...this.input, ...usage };
        if (usage) this.output = int(usage['output_tokens']);
        break;
      }
      default:
        return;
    }
    this.update();
  }

  private update(): void {
    if (!this.input || this.output === undefined) return;
    const cached = int(this.input['cache_read_input_tokens']);
    this.usage = {
      inputTokens: int(this.input['input_tokens']) + cached + int(this.input['cache_creation_input_tokens']),
      outputTokens: this.output,
      cachedInputTokens: cached,
    };
  }
}

/** Responses API: `usage` on the response object, in a stream on `response.completed`. */
export class OpenAiResponsesMeter implements UsageMeter {
  usage: TokenUsage | undefined;
  producedChars = 0;

  readBody(body: unknown): void {
    const usage = obj(obj(body)?.['usage']);
    if (!usage) return;
    this.usage = {
      inputTokens: int(usage['input_tokens']),
      outputTokens: int(usage['output_tokens']),
      cachedInputTokens: int(obj(usage['input_tokens_details'])?.['cached_tokens']),
    };
  }

  readEvent(data: unknown): void {
    const event = obj(data);
    const type = event?.['type'];
    if (type === 'response.output_text.delta' || type === 'response.function_call_arguments.delta' || type === 'response.reasoning_summary_text.delta') {
      this.producedChars += len(event?.['delta']);
    } else if (type === 'response.completed' || type === 'response.incomplete') {
      this.readBody(event?.['response']);
    }
  }
}

/**
 * Gemini's generateContent: `usageMetadata` on the response, and on each streamed chunk with the
 * counts so far (the last chunk's are the totals). Thinking is billed as output, tool results as input.
 */
export class GeminiMeter implements UsageMeter {
  usage: TokenUsage | undefined;
  producedChars = 0;

  readBody(body: unknown): void {
    const usage = obj(obj(body)?.['usageMetadata']);
    if (!usage || usage['promptTokenCount'] === undefined) return;
    this.usage = {
      inputTokens: int(usage['promptTokenCount']) + int(usage['toolUsePromptTokenCount']),
      outputTokens: int(usage['candidatesTokenCount']) + int(usage['thoughtsTokenCount']),
      cachedInputTokens: int(usage['cachedContentTokenCount']),
    };
  }

  readEvent(data: unknown): void {
    const chunk = obj(data);
    for (const candidate of Array.isArray(chunk?.['candidates']) ? (chunk['candidates'] as unknown[]) : []) {
      const parts = obj(obj(candidate)?.['content'])?.['parts'];
      for (const part of Array.isArray(parts) ? parts : []) {
        const fields = obj(part);
        this.producedChars += len(fields?.['text']) + (fields?.['functionCall'] ? JSON.stringify(fields['functionCall']).length : 0);
      }
    }
    this.readBody(chunk);
  }
}

/** Embeddings: input tokens only. */
export class OpenAiEmbeddingsMeter implements UsageMeter {
  usage: TokenUsage | undefined;
  readonly producedChars = 0;

  readBody(body: unknown): void {
    const usage = obj(obj(body)?.['usage']);
    if (usage) this.usage = { inputTokens: int(usage['prompt_tokens'] ?? usage['total_tokens']), outputTokens: 0 };
  }

  readEvent(): void {
    // Embeddings do not stream.
  }
}

/** Calls that are not metered (count_tokens): nothing to read. */
export class UnmeteredMeter implements UsageMeter {
  readonly usage = { inputTokens: 0, outputTokens: 0 };
  readonly producedChars = 0;
  readBody(): void {
    // Not metered.
  }
  readEvent(): void {
    // Not metered.
  }
}
