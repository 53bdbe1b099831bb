import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { PassthroughEndpoint } from '@sah/domain';
import type { Request, Response } from 'express';
import { ApiKeyScope, CurrentPrincipal, RateLimitAwaitedByHandler, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { aiCaller, ChatGateway } from '../application/chat-gateway.service';
import { CrossFormatGateway } from '../application/cross-format-gateway.service';
import { ModelCatalog } from '../application/model-catalog';
import { PassthroughGateway } from '../application/passthrough-gateway.service';
import { bodyObject, openAiLateError, providerHeaders, sendForwarded, translatable } from './forwarded-reply';
import { openAiChunk, openAiCompletion, openAiUsageChunk, parseOpenAiRequest } from './openai-format';
import { openAiErrorBody, toRestError } from './provider-error-body';
import { ProviderErrorFilter } from './provider-error.filter';
import { whileClientStays } from './client-presence';
import { SseWriter } from './sse';

/** OpenAI-compatible gateway (contract paths): the official SDK pointed at the hub works unchanged. */
@Controller('v1')
@UseFilters(ProviderErrorFilter)
@RequirePermission('ai:use')
@ApiKeyScope('ai.use')
export class OpenAiCompatController {
  constructor(
    private readonly gateway: ChatGateway,
    private readonly catalog: ModelCatalog,
    private readonly passthrough: PassthroughGateway,
    private readonly crossFormat: CrossFormatGateway,
  ) {}

  @Get('models')
  async models() {
    const models = (await this.catalog.all()).filter((model) => model.enabled);
    return { object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.provider })) };
  }

  /**
   * Body parsed by hand (OpenAI's format, OpenAI's errors), so no DTO validation here. A model an
   * OpenAI-protocol provider serves gets the body as sent; another (Claude, or Gemini beyond plain text) gets it translated.
   */
  @RateLimitAwaitedByHandler()
  @Post('chat/completions')
  async chat(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const plainText = () => translatable(() => parseOpenAiRequest(body));
    if (await this.passthrough.passesThrough('chat.completions', body, plainText)) {
      return this.forward('chat.completions', principal, body, req, res);
    }
    // A Claude model asked for more than plain text (tools, images…): translated both ways.
    if (!plainText() && (await this.passthrough.servedBy('anthropic', body))) {
      const caller = aiCaller(principal, 'openai', req.countRequest);
      return sendForwarded(req, res, (signal) => this.crossFormat.openAiToClaude(caller, bodyObject(body), signal), openAiLateError);
    }
    // The same for a Gemini model; an image by URL is refused there, as the hub fetches no URLs.
    if (!plainText() && (await this.passthrough.servedBy('gemini', body))) {
      const caller = aiCaller(principal, 'openai', req.countRequest);
      return sendForwarded(req, res, (signal) => this.crossFormat.openAiToGemini(caller, bodyObject(body), signal), openAiLateError);
    }
    const { request, stream, includeUsage } = parseOpenAiRequest(body);
    const caller = aiCaller(principal, 'openai', req.countRequest);
    if (!stream) {
      const result = await whileClientStays(res, (signal) => this.gateway.complete(caller, request, signal));
      res.status(200).json(openAiCompletion(`chatcmpl-${result.id}`, result.model, new Date(), result.content, result.finishReason, result.usage));
      return;
    }

    const sse = new SseWriter(res);
    const opened = await sse.call((signal) => this.gateway.stream(caller, request, signal));
    const id = `chatcmpl-${opened.id}`;
    sse.open();
    try {
      await sse.data(openAiChunk(id, opened.model, opened.created, { role: 'assistant', content: '' }, null));
      for await (const event of opened.events) {
        if (sse.signal.aborted) break;
        if (event.type === 'delta') {
          await sse.data(openAiChunk(id, opened.model, opened.created, { content: event.text }, null));
        } else {
          await sse.data(openAiChunk(id, opened.model, opened.created, {}, event.finishReason));
          if (includeUsage && event.usage) await sse.data(openAiUsageChunk(id, opened.model, opened.created, event.usage));
        }
      }
      await sse.data('[DONE]');
    } catch (error) {
      // Headers are gone: OpenAI streams report a late failure as an error event.
      await sse.data(openAiErrorBody(toRestError(error)));
      req.log?.warn({ err: error }, 'chat stream failed after it started');
    } finally {
      sse.end();
    }
  }

  /** OpenAI's Responses API, streaming included (usage from `response.completed`). */
  @RateLimitAwaitedByHandler()
  @Post('responses')
  responses(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward('responses', principal, body, req, res);
  }

  /** Embeddings, metered by input tokens. */
  @RateLimitAwaitedByHandler()
  @Post('embeddings')
  embeddings(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward('embeddings', principal, body, req, res);
  }

  private forward(endpoint: PassthroughEndpoint, principal: Principal, body: unknown, req: Request, res: Response): Promise<void> {
    const call = { endpoint, body: bodyObject(body), headers: providerHeaders(req, ['openai-beta']) };
    return sendForwarded(req, res, (signal) => this.passthrough.forward(aiCaller(principal, 'openai', req.countRequest), call, signal), openAiLateError);
  }
}
