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

export const FAKE_GEMINI_API_KEY = 'AIza-fake-gemini';

/** Google's canonical status per HTTP code, and a message in its words. */
const ERRORS: Record<number, { status: string; message: string }> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: { status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' },
  403: { status: 'PERMISSION_DENIED', message: 'Method doesn\'t allow unregistered callers. Please use an API key.' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: { status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota, please check your plan and billing details.' },
  500: { status: 'INTERNAL', message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting' },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' },
};
const ROLES = ['user', 'model'];
const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

/**
 * The Gemini Developer API's `POST /v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` and `:countTokens` on 127.0.0.1, in Google's wire format: the key in
 * `x-goog-api-key` (or `?key=`), `candidates` with `finishReason`, `usageMetadata`, SSE chunks
 * of `data: {...}` only, and errors as `{error:{code,message,status,details}}` (a rate limit
 * says when to retry in a `google.rpc.RetryInfo` detail, as Google does, not in a header).
 */
export class FakeGemini extends FakeUpstream {
  protected readonly providerName = 'Gemini';
  protected readonly basePath = '';
  protected readonly requestIdHeader = 'x-goog-request-id';
  private usageOmitted = false;
  private readonly partsQueue: JsonObject[][] = [];

  /** Responses and stream chunks carry no `usageMetadata` (the field is optional in Google's schema). */
  omitUsage(omit = true): void {
    this.usageOmitted = omit;
  }

  /**
   * The next generate call answers with these parts (a `functionCall`, say) instead of the scripted
   * text, streamed one part per chunk; finish reason and usage still come from `reply`.
   */
  thenParts(parts: JsonObject[]): void {
    this.partsQueue.push(parts);
  }

  override reset(): void {
    super.reset();
    this.usageOmitted = false;
    this.partsQueue.length = 0;
  }

  /** The hub's configuration pointing its Gemini adapter at this fake (the SDK's `httpOptions.baseUrl`). */
  env(): Record<string, string> {
    return { GEMINI_API_KEY: FAKE_GEMINI_API_KEY, GEMINI_BASE_URL: this.url };
  }

  /** The request body as the shared planner reads it (model, system text, messages' parts). */
  chatView(record: RecordedRequest): JsonObject {
    const body = record.body ?? {};
    const contents = Array.isArray(body['contents']) ? (body['contents'] as JsonObject[]) : [];
    const system = body['systemInstruction'] as JsonObject | undefined;
    return {
      model: this.modelOf(record),
      system: Array.isArray(system?.['parts']) ? system['parts'] : [],
      messages: contents.map((content) => ({ content: content?.['parts'] })),
      generationConfig: body['generationConfig'],
    };
  }

  protected override modelOf(record: RecordedRequest): string | undefined {
    return ROUTE.exec(record.path)?.[1];
  }

  protected apiKeyOf(headers: IncomingHttpHeaders): string | null {
    const key = headers['x-goog-api-key'];
    return typeof key === 'string' && key !== '' ? key : null;
  }

  protected maxTokensOf(view: JsonObject): number | undefined {
    const max = (view['generationConfig'] as JsonObject | undefined)?.['maxOutputTokens'];
    return typeof max === 'number' ? max : undefined;
  }

  protected async route(res: ServerResponse, record: RecordedRequest): Promise<void> {
    const match = ROUTE.exec(record.path);
    if (record.method !== 'POST' || !match) return this.error(res, record, { status: 404, message: `Method not found: ${record.path}` });
    const query = new URLSearchParams(record.search);
    record.apiKey ??= query.get('key');
    if (!record.apiKey) {
      return this.error(res, record, { status: 403, message: 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.' });
    }
    const stream = match[2] === 'streamGenerateContent';
    if (stream && query.get('alt') !== 'sse') {
      return this.error(res, record, { status: 400, message: 'This fake streams Server-Sent Events only: add alt=sse.' });
    }
    const invalid = validate(record.body);
    if (invalid) return this.error(res, record, { status: 400, message: invalid });
    if (match[2] === 'countTokens') {
      const tokens = this.promptTokensFor(this.chatView(record));
      return this.sendJson(res, record, 200, { totalTokens: tokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: tokens }] });
    }
    const failure = this.takeFailure(record);
    const plan = this.plan(this.chatView(record));
    await pause(plan.script.firstByteDelayMs, res);
    if (res.destroyed) return;
    if (failure) return this.error(res, record, failure);
    const model = match[1] as string;
    const responseId = randomId(22);
    const parts = this.partsQueue.shift();
    if (stream && parts) return this.streamParts(res, record, plan, parts, model, responseId);
    if (stream) return this.stream(res, record, plan, model, responseId);
    return this.sendJson(res, record, 200, {
      candidates: [{ content: { parts: parts ?? [{ text: plan.text }], role: 'model' }, finishReason: finish(plan), index: 0 }],
      ...(this.usageOmitted ? {} : { usageMetadata: usageMetadata(plan, plan.outputTokens) }),
      modelVersion: model,
      responseId,
    });
  }

  /** One chunk per piece; the last carries the finish reason and the totals (every chunk has the counts so far). */
  private async stream(res: ServerResponse, record: RecordedRequest, plan: ReplyPlan, model: string, responseId: string): Promise<void> {
    this.startStream(res, record);
    const pieces = plan.pieces.length ? plan.pieces : [''];
    for (const [i, piece] of pieces.entries()) {
      if (i === plan.script.cutAfterPieces) return cut(res);
      await pause(plan.script.pieceDelayMs, res);
      if (res.destroyed) return;
      const last = i === pieces.length - 1;
      const produced = last ? plan.outputTokens : Math.min(i + 1, plan.outputTokens);
      writeEvent(res, {
        candidates: [{ content: { parts: [{ text: piece }], role: 'model' }, ...(last ? { finishReason: finish(plan) } : {}), index: 0 }],
        ...(this.usageOmitted ? {} : { usageMetadata: usageMetadata(plan, produced) }),
        modelVersion: model,
        responseId,
      });
      if (piece) record.piecesSent += 1;
    }
    res.end();
  }

  /** Scripted parts, one chunk each; the last carries the finish reason and the totals. */
  private async streamParts(res: ServerResponse, record: RecordedRequest, plan: ReplyPlan, parts: JsonObject[], model: string, responseId: string): Promise<void> {
    this.startStream(res, record);
    for (const [i, part] of parts.entries()) {
      await pause(plan.script.pieceDelayMs, res);
      if (res.destroyed) return;
      const last = i === parts.length - 1;
      writeEvent(res, {
        candidates: [{ content: { parts: [part], role: 'model' }, ...(last ? { finishReason: finish(plan) } : {}), index: 0 }],
        ...(this.usageOmitted ? {} : { usageMetadata: usageMetadata(plan, last ? plan.outputTokens : 0) }),
        modelVersion: model,
        responseId,
      });
      record.piecesSent += 1;
    }
    res.end();
  }

  private error(res: ServerResponse, record: RecordedRequest, spec: FailureSpec): void {
    const defaults = ERRORS[spec.status] ?? (spec.status >= 500 ? (ERRORS[500] as { status: string; message: string }) : (ERRORS[400] as { status: string; message: string }));
    const details =
      spec.retryAfterSeconds === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${spec.retryAfterSeconds}s` }];
    const error = { code: spec.status, message: spec.message ?? defaults.message, status: spec.type ?? defaults.status, ...(details.length ? { details } : {}) };
    this.sendJson(res, record, spec.status, { error });
  }
}

/** Google's own 400s for what a faulty translation would get wrong. */
function validate(body: JsonObject | null): string | undefined {
  if (!body) return 'Invalid JSON payload received.';
  const contents = body['contents'];
  if (!Array.isArray(contents) || contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified\n';
  for (const content of contents as JsonObject[]) {
    if (content?.['role'] !== undefined && !ROLES.includes(content['role'] as string)) return 'Please use a valid role: user, model.';
    const parts = content?.['parts'];
    if (!Array.isArray(parts) || parts.length === 0) return '* GenerateContentRequest.contents.parts: contents.parts must not be empty.\n';
  }
  return undefined;
}

function finish(plan: ReplyPlan): string {
  return plan.truncated ? 'MAX_TOKENS' : (plan.script.stopReason ?? 'STOP');
}

function usageMetadata(plan: ReplyPlan, candidates: number): JsonObject {
  const cached = plan.script.usage?.cached;
  return {
    promptTokenCount: plan.inputTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: plan.inputTokens + candidates,
    ...(cached ? { cachedContentTokenCount: cached, cacheTokensDetails: [{ modality: 'TEXT', tokenCount: cached }] } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: plan.inputTokens }],
  };
}
