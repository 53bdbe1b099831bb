import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import {
  cut,
  FailureSpec,
  FakeUpstream,
  JsonObject,
  pause,
  randomId,
  RecordedRequest,
  ReplyPlan,
  writeEvent,
} from './fake-upstream-script';

export const FAKE_OPENAI_API_KEY = 'sk-fake-openai';
const SYSTEM_FINGERPRINT = 'fp_fake0penai';
const DEFAULT_MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo'];

/** Defaults per status, as OpenAI words them (`type` is "requests" on rate limits, really). */
const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: {
    type: 'invalid_request_error',
    code: null,
    message: 'You are not allowed to sample from this model.',
  },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist or you do not have access to it.',
  },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  503: { type: 'server_error', code: null, message: 'The server is overloaded or not ready yet.' },
};
const SERVER_ERROR = {
  type: 'server_error',
  code: null,
  message: 'The server had an error while processing your request. Sorry about that!',
};

/**
 * OpenAI's `POST /v1/chat/completions` (JSON and SSE) and `GET /v1/models` on 127.0.0.1, field for
 * field in OpenAI's format, so the official `openai` SDK (and a hub built on it) runs unchanged.
 */
export class FakeOpenAI extends FakeUpstream {
  /** The ids `GET /v1/models` lists. */
  models: string[] = [...DEFAULT_MODELS];
  protected readonly providerName = 'OpenAI';
  protected readonly basePath = '/v1';
  protected readonly requestIdHeader = 'x-request-id';
  private usageOmitted = false;

  /** The hub's configuration pointing its OpenAI adapter at this fake. */
  env(): Record<string, string> {
    return { OPENAI_API_KEY: FAKE_OPENAI_API_KEY, OPENAI_BASE_URL: this.url };
  }

  /** Replies carry no `usage`, and streams no usage chunk even when `stream_options.include_usage` asks for one. */
  omitUsage(omit = true): void {
    this.usageOmitted = omit;
  }

  override reset(): void {
    super.reset();
    this.models = [...DEFAULT_MODELS];
    this.usageOmitted = false;
  }

  protected apiKeyOf(headers: IncomingHttpHeaders): string | null {
    return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1] ?? null;
  }

  protected maxTokensOf(body: JsonObject): number | undefined {
    const max = body['max_completion_tokens'] ?? body['max_tokens'];
    return typeof max === 'number' ? max : undefined;
  }

  protected async route(res: ServerResponse, record: RecordedRequest): Promise<void> {
    const where = `${record.method} ${record.path}`;
    if (!record.apiKey) {
      return this.error(res, record, { status: 401, code: null, message: "You didn't provide an API key." });
    }
    if (where === 'GET /v1/models') {
      const data = this.models.map((id) => ({
        id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'openai',
      }));
      return this.sendJson(res, record, 200, { object: 'list', data });
    }
    if (where !== 'POST /v1/chat/completions') {
      return this.error(res, record, { status: 404, code: null, message: `Invalid URL (${where})` });
    }
    const body = record.body;
    if (!body) {
      return this.error(res, record, {
        status: 400,
        message: 'We could not parse the JSON body of your request.',
      });
    }
    if (typeof body['model'] !== 'string') {
      return this.error(res, record, { status: 400, message: 'you must provide a model parameter' });
    }
    if (!Array.isArray(body['messages']) || body['messages'].length === 0) {
      const message = "Missing required parameter: 'messages'.";
      return this.error(
        res,
        record,
        { status: 400, message, code: 'missing_required_parameter' },
        'messages',
      );
    }
    const failure = this.takeFailure(record);
    const plan = this.plan(body);
    await pause(plan.script.firstByteDelayMs, res);
    if (res.destroyed) return;
    if (failure) return this.error(res, record, failure);
    if (body['stream'] === true) return this.stream(res, record, body, plan);
    return this.sendJson(res, record, 200, {
      ...header(body, 'chat.completion'),
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: plan.text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: finishReason(plan),
        },
      ],
      ...(this.usageOmitted ? {} : { usage: usage(plan) }),
    });
  }

  private async stream(
    res: ServerResponse,
    record: RecordedRequest,
    body: JsonObject,
    plan: ReplyPlan,
  ): Promise<void> {
    const options = body['stream_options'] as JsonObject | undefined;
    const withUsage = options?.['include_usage'] === true && !this.usageOmitted;
    const base = header(body, 'chat.completion.chunk');
    // With include_usage, OpenAI puts `"usage": null` on every chunk before the last.
    const chunk = (delta: JsonObject, finish: string | null) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(withUsage ? { usage: null } : {}),
    });
    this.startStream(res, record);
    writeEvent(res, chunk({ role: 'assistant', content: '', refusal: null }, null));
    for (const [i, piece] of plan.pieces.entries()) {
      if (i === plan.script.cutAfterPieces) return cut(res);
      await pause(plan.script.pieceDelayMs, res);
      if (res.destroyed) return;
      writeEvent(res, chunk({ content: piece }, null));
      record.piecesSent += 1;
    }
    writeEvent(res, chunk({}, finishReason(plan)));
    if (withUsage) writeEvent(res, { ...base, choices: [], usage: usage(plan) });
    writeEvent(res, '[DONE]');
    res.end();
  }

  private error(
    res: ServerResponse,
    record: RecordedRequest,
    spec: FailureSpec,
    param: string | null = null,
  ): void {
    const defaults = ERRORS[spec.status] ?? (spec.status >= 500 ? SERVER_ERROR : ERRORS[400]);
    const error = {
      message: spec.message ?? defaults.message,
      type: spec.type ?? defaults.type,
      param,
      code: spec.code === undefined ? defaults.code : spec.code,
    };
    const headers: Record<string, string> =
      spec.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(spec.retryAfterSeconds) };
    this.sendJson(res, record, spec.status, { error }, headers);
  }
}

/** The fields every completion and chunk of one response share (one id, one timestamp). */
function header(body: JsonObject, object: string): JsonObject {
  return {
    id: `chatcmpl-${randomId(29)}`,
    object,
    created: Math.floor(Date.now() / 1000),
    model: body['model'],
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

function finishReason(plan: ReplyPlan): string {
  return plan.truncated ? 'length' : (plan.script.stopReason ?? 'stop');
}

function usage(plan: ReplyPlan): JsonObject {
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
