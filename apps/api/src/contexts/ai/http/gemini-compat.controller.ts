import { Body, Controller, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ChatRequest, DomainError, PassthroughEndpoint } from '@sah/domain';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { ApiKeyScope, CurrentPrincipal, RateLimitAwaitedByHandler, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { AiCaller, aiCaller, ChatGateway } from '../application/chat-gateway.service';
import { PassthroughGateway } from '../application/passthrough-gateway.service';
import { bodyObject, sendForwarded, translatable } from './forwarded-reply';
import { geminiResponse, parseGeminiRequest, parseGeminiTarget } from './gemini-format';
import { geminiErrorBody, toRestError } from './provider-error-body';
import { ProviderErrorFilter } from './provider-error.filter';
import { drained, whileClientStays } from './client-presence';
import { SseWriter } from './sse';

/**
 * Gemini-compatible gateway (contract paths `POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent`, and `:countTokens` for Gemini models): the official `@google/genai` SDK pointed at the hub (`httpOptions.baseUrl`)
 * works unchanged, with the hub's API key as `x-goog-api-key` or `?key=`. A Gemini model gets the body
 * as sent (tools, media, thinking and fields the hub does not know included) through the passthrough
 * gateway; any other model of the catalogue answers translated, through the chat gateway. Both meter alike.
 */
@Controller('v1beta')
@UseFilters(ProviderErrorFilter)
@RequirePermission('ai:use')
@ApiKeyScope('ai.use')
export class GeminiCompatController {
  constructor(
    private readonly gateway: ChatGateway,
    private readonly passthrough: PassthroughGateway,
  ) {}

  /** Body parsed by hand (Gemini's format, Gemini's errors), so no DTO validation here. */
  @RateLimitAwaitedByHandler()
  @Post('models/:target')
  async generate(
    @CurrentPrincipal() principal: Principal,
    @Param('target') target: string,
    @Query('alt') alt: unknown,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { model, method } = parseGeminiTarget(target);
    const caller = aiCaller(principal, 'gemini', req.countRequest);
    if (method === 'countTokens') return this.countTokens(caller, model, body, req, res);
    // Passthrough speaks server-sent events; Google's JSON-array stream is the translating path's.
    if (method === 'generateContent' || alt === 'sse') {
      const endpoint: PassthroughEndpoint = method === 'generateContent' ? 'gemini.generateContent' : 'gemini.streamGenerateContent';
      const call = { endpoint, body: { ...bodyObject(body), model }, headers: {} };
      if (await this.passthrough.passesThrough(endpoint, call.body, () => translatable(() => parseGeminiRequest(model, body)))) {
        return sendForwarded(req, res, (signal) => this.passthrough.forward(caller, call, signal), geminiLateError);
      }
    }
    const request = parseGeminiRequest(model, body);
    if (method === 'streamGenerateContent') return this.stream(caller, request, alt === 'sse', req, res);

    const result = await whileClientStays(res, (signal) => this.gateway.complete(caller, request, signal));
    res.status(200).json(geminiResponse(responseId(), result.model, result.content, result));
  }

  /** Google counts a Gemini model's input tokens; not metered. Other providers' models have no such count here. */
  private async countTokens(caller: AiCaller, model: string, body: unknown, req: Request, res: Response): Promise<void> {
    const call = { endpoint: 'gemini.countTokens' as const, body: { ...bodyObject(body), model }, headers: {} };
    if (!(await this.passthrough.servedBy('gemini', call.body))) {
      throw DomainError.badInput(`countTokens is served for Gemini models only; '${model}' is not one`, { field: 'model' });
    }
    return sendForwarded(req, res, (signal) => this.passthrough.forward(caller, call, signal), geminiLateError);
  }

  /**
   * Server-sent events with `alt=sse` (what the SDK asks for), else Google's other streaming form: one
   * JSON array whose elements arrive as they are produced. Text chunks first, then one chunk with the
   * finish reason and the usage charged.
   */
  private async stream(caller: AiCaller, request: ChatRequest, sse: boolean, req: Request, res: Response): Promise<void> {
    const writer = new SseWriter(res);
    const opened = await writer.call((signal) => this.gateway.stream(caller, request, signal));
    const id = responseId();
    let first = true;
    const send = async (chunk: unknown) => {
      if (sse) return writer.data(chunk);
      const text = `${first ? '[' : ',\r\n'}${JSON.stringify(chunk)}`;
      first = false;
      if (!res.write(text)) await drained(res);
    };
    if (sse) {
      writer.open();
    } else {
      res.status(200).setHeader('content-type', 'application/json; charset=UTF-8');
      res.flushHeaders();
    }
    try {
      for await (const event of opened.events) {
        if (writer.signal.aborted) break;
        await send(geminiResponse(id, opened.model, event.type === 'delta' ? event.text : '', event.type === 'end' ? event : undefined));
      }
    } catch (error) {
      // Headers are gone: Google's streams report a late failure as an error object in the stream.
      await send(geminiErrorBody(toRestError(error)));
      req.log?.warn({ err: error }, 'gemini stream failed after it started');
    } finally {
      if (!sse && !writer.signal.aborted) res.write(first ? '[]' : ']');
      writer.end();
    }
  }
}

/** Google's streams report a late failure as an error object in a `data:` event. */
function geminiLateError(error: unknown): string {
  return `data: ${JSON.stringify(geminiErrorBody(toRestError(error)))}`;
}

/** Google's response ids are short url-safe strings. */
function responseId(): string {
  return randomBytes(16).toString('base64url');
}
