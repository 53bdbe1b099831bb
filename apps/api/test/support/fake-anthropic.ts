import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import {
  cut,
  FailureSpec,
  FakeUpstream,
  JsonObject,
  pause,
  RecordedRequest,
  ReplyPlan,
  writeEvent,
  randomId,
} from './fake-upstream-script';

export const FAKE_ANTHROPIC_API_KEY = 'sk-ant-fake';

/** Anthropic's error type and wording per status (529 is its own "overloaded"). */
const ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  402: { type: 'billing_error', message: 'Your credit balance is too low to access the Anthropic API.' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'Not Found' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit.' },
  504: { type: 'timeout_error', message: 'Request timed out.' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};
const API_ERROR = { type: 'api_error', message: 'Internal server error' };
const ROLES = ['user', 'assistant', 'system'];

/**
 * Anthropic's `POST /v1/messages` (JSON and its named SSE events) on 127.0.0.1, in the format of
 * the API version the installed `@anthropic-ai/sdk` speaks (`anthropic-version: 2026-10-21`: every
 * nullable field present, `system` messages allowed, the key as `x-api-key` or a Bearer token).
 */
export class FakeAnthropic extends FakeUpstream {
  protected readonly providerName = 'Anthropic';
  protected readonly basePath = '';
  protected readonly requestIdHeader = 'request-id';

  /** The hub's configuration pointing its Anthropic adapter at this fake. */
  env(): Record<string, string> {
    return { ANTHROPIC_API_KEY: FAKE_ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL: this.url };
  }

  /** SDK 1.x sends `apiKey` as `Authorization: Bearer`; older clients and curl use `x-api-key`. */
  protected apiKeyOf(headers: IncomingHttpHeaders): string | null {
    const key = headers['x-api-key'];
    if (typeof key === 'string' && key !== '') return key;
    return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1] ?? null;
  }

  protected maxTokensOf(body: JsonObject): number | undefined {
    return typeof body['max_tokens'] === 'number' ? body['max_tokens'] : undefined;
  }

  protected async route(res: ServerResponse, record: RecordedRequest): Promise<void> {
    if (`${record.method} ${record.path}` !== 'POST /v1/messages')
      return this.error(res, record, { status: 404 });
    if (!record.apiKey) {
      return this.error(res, record, {
        status: 401,
        message: 'x-api-key or Authorization header is required',
      });
    }
    if (!record.headers['anthropic-version']) {
      return this.error(res, record, { status: 400, message: 'anthropic-version: header is required' });
    }
    const invalid = validate(record.body);
    if (invalid || !record.body) return this.error(res, record, { status: 400, message: invalid });
    const body = record.body;
    const failure = this.takeFailure(record);
    const plan = this.plan(body);
    await pause(plan.script.firstByteDelayMs, res);
    if (res.destroyed) return;
    if (failure) return this.error(res, record, failure);
    if (body['stream'] === true) return this.stream(res, record, body, plan);
    return this.sendJson(res, record, 200, {
      ...message(body),
      content: [{ type: 'text', text: plan.text, citations: null }],
      ...stop(plan),
      usage: usage(plan.inputTokens, plan.outputTokens),
    });
  }

  private async stream(
    res: ServerResponse,
    record: RecordedRequest,
    body: JsonObject,
    plan: ReplyPlan,
  ): Promise<void> {
    const send = (data: JsonObject) => writeEvent(res, data, data['type'] as string);
    this.startStream(res, record);
    send({
      type: 'message_start',
      message: {
        ...message(body),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: usage(plan.inputTokens, 1),
      },
    });
    send({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '', citations: null },
    });
    send({ type: 'ping' });
    for (const [i, piece] of plan.pieces.entries()) {
      if (i === plan.script.cutAfterPieces) return cut(res);
      await pause(plan.script.pieceDelayMs, res);
      if (res.destroyed) return;
      send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
      record.piecesSent += 1;
    }
    send({ type: 'content_block_stop', index: 0 });
    // The usage counters here are the whole message's totals, not increments.
    send({
      type: 'message_delta',
      delta: { ...stop(plan), container: null },
      usage: {
        input_tokens: plan.inputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: plan.outputTokens,
        output_tokens_details: null,
        server_tool_use: null,
      },
    });
    send({ type: 'message_stop' });
    res.end();
  }

  private error(res: ServerResponse, record: RecordedRequest, spec: FailureSpec): void {
    const defaults = ERRORS[spec.status] ?? (spec.status >= 500 ? API_ERROR : ERRORS[400]);
    const error = { type: spec.type ?? defaults.type, message: spec.message ?? defaults.message };
    const headers: Record<string, string> =
      spec.retryAfterSeconds === undefined ? {} : { 'retry-after': String(spec.retryAfterSeconds) };
    this.sendJson(res, record, spec.status, { type: 'error', error, request_id: record.requestId }, headers);
  }
}

/** Anthropic's own 400s for the required fields, so a faulty OpenAI→Anthropic mapping shows. */
function validate(body: JsonObject | null): string | undefined {
  if (!body) return 'There was an issue with your request body: it is not valid JSON.';
  if (typeof body['model'] !== 'string') return 'model: Field required';
  if (typeof body['max_tokens'] !== 'number') return 'max_tokens: Field required';
  const messages = body['messages'];
  if (!Array.isArray(messages)) return 'messages: Field required';
  const bad = messages.findIndex((m) => !ROLES.includes((m as JsonObject | null)?.['role'] as string));
  if (bad >= 0) return `messages.${bad}.role: Input should be 'user', 'assistant' or 'system'`;
  return undefined;
}

/** The Message fields a stream's `message_start` and a JSON reply share. */
function message(body: JsonObject): JsonObject {
  return {
    id: `msg_${randomId(24)}`,
    type: 'message',
    role: 'assistant',
    model: body['model'],
    container: null,
    diagnostics: null,
  };
}

function stop(plan: ReplyPlan): JsonObject {
  const reason = plan.truncated ? 'max_tokens' : (plan.script.stopReason ?? 'end_turn');
  return {
    stop_reason: reason,
    stop_sequence: reason === 'stop_sequence' ? (plan.script.stopSequence ?? null) : null,
    stop_details: null,
  };
}

function usage(input: number, output: number): JsonObject {
  return {
    input_tokens: input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
    speed: 'standard',
  };
}
