import { Body, Controller, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ChatRequest, DomainError, estimatePromptTokens, PassthroughEndpoint, ProviderFailure } from '@sah/domain';
import type { Request, Response } from 'express';
import { ApiKeyScope, CurrentPrincipal, RateLimitAwaitedByHandler, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { AiCaller, aiCaller, ChatGateway } from '../application/chat-gateway.service';
import { CrossFormatGateway } from '../application/cross-format-gateway.service';
import { PassthroughGateway } from '../application/passthrough-gateway.service';
import {
  anthropicEvents,
  anthropicMessage,
  anthropicMessageId,
  anthropicStop,
  parseAnthropicRequest,
} from './anthropic-format';
import { anthropicErrorBody, toRestError } from './provider-error-body';
import { anthropicLateError, bodyObject, providerHeaders, sendForwarded, translatable } from './forwarded-reply';
import { ProviderErrorFilter } from './provider-error.filter';
import { whileClientStays } from './client-presence';
import { SseWriter } from './sse';

/**
 * Anthropic-compatible gateway (contract path `POST /v1/messages`): the official `@anthropic-ai/sdk`
 * pointed at the hub works unchanged, streams included. The key comes as `x-api-key` or Bearer (the
 * guard reads both); errors before a stream starts are shaped by ProviderErrorFilter.
 */
@Controller('v1')
@UseFilters(ProviderErrorFilter)
@RequirePermission('ai:use')
@ApiKeyScope('ai.use')
export class AnthropicCompatController {
  constructor(
    private readonly gateway: ChatGateway,
    private readonly passthrough: PassthroughGateway,
    private readonly crossFormat: CrossFormatGateway,
  ) {}

  /** Body parsed by hand (Anthropic's format, Anthropic's errors), so no DTO validation here. */
  @RateLimitAwaitedByHandler()
  @Post('messages')
  async messages(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // The SDK exposes this header as the request id of results and errors.
    res.setHeader('request-id', String(req.id));
    // A Claude model gets the body as sent; another (GPT, or Gemini beyond plain text) gets it translated.
    const plainText = () => translatable(() => parseAnthropicRequest(body));
    if (await this.passthrough.passesThrough('messages', body, plainText)) {
      return this.forward('messages', principal, body, req, res);
    }
    // A GPT model asked for more than plain text (tools, images…): translated both ways.
    if (!plainText() && (await this.passthrough.servedBy('openai', body))) {
      const caller = aiCaller(principal, 'anthropic', req.countRequest);
      return sendForwarded(req, res, (signal) => this.crossFormat.anthropicToGpt(caller, bodyObject(body), signal), anthropicLateError);
    }
    // The same for a Gemini model, through OpenAI's format; an image by URL is refused, as the hub fetches no URLs.
    if (!plainText() && (await this.passthrough.servedBy('gemini', body))) {
      const caller = aiCaller(principal, 'anthropic', req.countRequest);
      return sendForwarded(req, res, (signal) => this.crossFormat.anthropicToGemini(caller, bodyObject(body), signal), anthropicLateError);
    }
    const { request, stream } = parseAnthropicRequest(body);
    const caller = aiCaller(principal, 'anthropic', req.countRequest);
    if (stream) return this.stream(caller, request, req, res);

    const result = await whileClientStays(res, (signal) => this.gateway.complete(caller, request, signal));
    res
      .status(200)
      .json(
        anthropicMessage(
          anthropicMessageId(result.id),
          result.model,
          result.content,
          anthropicStop(result.finishReason, request),
          result.usage,
        ),
      );
  }

  /** Counts a request's input tokens with the provider; not metered. */
  @RateLimitAwaitedByHandler()
  @Post('messages/count_tokens')
  countTokens(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('request-id', String(req.id));
    return this.forward('messages.count_tokens', principal, body, req, res);
  }

  private forward(endpoint: PassthroughEndpoint, principal: Principal, body: unknown, req: Request, res: Response): Promise<void> {
    const call = { endpoint, body: bodyObject(body), headers: providerHeaders(req, ['anthropic-version', 'anthropic-beta']) };
    return sendForwarded(req, res, (signal) => this.passthrough.forward(aiCaller(principal, 'anthropic', req.countRequest), call, signal), anthropicLateError);
  }

  /**
   * Anthropic's event sequence. `message_start` goes out as soon as the upstream has answered, so it
   * carries the hub's estimate of the input tokens (an OpenAI upstream reports usage only at the end);
   * `message_delta` then carries the real input and output counts, the ones charged, and the SDK's
   * `finalMessage()` takes both from there.
   */
  private async stream(caller: AiCaller, request: ChatRequest, req: Request, res: Response): Promise<void> {
    const sse = new SseWriter(res);
    const opened = await sse.call((signal) => this.gateway.stream(caller, request, signal));
    sse.open();
    try {
      const estimate = { inputTokens: estimatePromptTokens(request), outputTokens: 0 };
      const start = anthropicMessage(anthropicMessageId(opened.id), opened.model, null, null, estimate);
      await send(sse, anthropicEvents.messageStart(start));
      await send(sse, anthropicEvents.contentBlockStart());
      await send(sse, anthropicEvents.ping());
      for await (const event of opened.events) {
        if (sse.signal.aborted) break;
        if (event.type === 'delta') {
          await send(sse, anthropicEvents.textDelta(event.text));
        } else {
          await send(sse, anthropicEvents.contentBlockStop());
          // The gateway fills in usage it had to count itself, so it is always there at the end.
          const usage = event.usage ?? estimate;
          await send(sse, anthropicEvents.messageDelta(anthropicStop(event.finishReason, request), usage));
          await send(sse, anthropicEvents.messageStop());
        }
      }
    } catch (error) {
      // Headers are gone: Anthropic streams report a late failure as an `error` event.
      await sse.data(
        { ...anthropicErrorBody(toRestError(lateFailure(error))), request_id: String(req.id) },
        'error',
      );
      req.log?.warn({ err: error }, 'messages stream failed after it started');
    } finally {
      sse.end();
    }
  }
}

/** Every streaming event is named after its `type`. */
function send(sse: SseWriter, event: { type: string }): Promise<void> {
  return sse.data(event, event.type);
}

/** A provider failing mid-stream is named as the provider's failure; anything else stays opaque. */
function lateFailure(error: unknown): unknown {
  if (error instanceof ProviderFailure)
    return new DomainError('PROVIDER_ERROR', `The provider failed during the stream (${error.kind})`);
  return error;
}
