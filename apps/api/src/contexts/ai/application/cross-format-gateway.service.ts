import { Injectable } from '@nestjs/common';
import {
  anthropicToGeminiRequest,
  anthropicToOpenAiRequest,
  AnthropicToOpenAiChunks,
  anthropicToOpenAiCompletion,
  geminiToOpenAiCompletion,
  GeminiToOpenAiChunks,
  openAiToAnthropicMessage,
  OpenAiToAnthropicEvents,
  openAiToAnthropicRequest,
  openAiToGeminiRequest,
} from '@sah/domain';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { AiCaller } from './chat-gateway.service';
import { Forwarded, PassthroughGateway } from './passthrough-gateway.service';

/**
 * A client calling a model of another format with what plain text chat cannot carry (tools, tool
 * results, images, reasoning; for Gemini models, base64 images and JSON output): the body is translated
 * to the provider's format, sent through the passthrough gateway (metered from the provider's own
 * usage), and the reply translated back, streamed tool-call deltas included.
 */
@Injectable()
export class CrossFormatGateway {
  constructor(
    private readonly passthrough: PassthroughGateway,
    private readonly config: AppConfig,
  ) {}

  async openAiToClaude(caller: AiCaller, body: Record<string, unknown>, signal: AbortSignal): Promise<Forwarded> {
    const request = openAiToAnthropicRequest(body, this.config.ai.defaultMaxTokens);
    const created = Math.floor(Date.now() / 1000);
    const forwarded = await this.passthrough.forward(caller, { endpoint: 'messages', body: request, headers: {} }, signal);
    if (forwarded.kind === 'json') {
      const message = JSON.parse(forwarded.body.toString('utf8')) as Record<string, unknown>;
      return { ...forwarded, contentType: 'application/json', body: Buffer.from(JSON.stringify(anthropicToOpenAiCompletion(message, created))) };
    }
    const streamOptions = body['stream_options'] as { include_usage?: unknown } | undefined;
    const chunks = new AnthropicToOpenAiChunks(created, streamOptions?.include_usage === true);
    return { kind: 'stream', contentType: 'text/event-stream', events: translated(forwarded.events, chunks) };
  }

  async openAiToGemini(caller: AiCaller, body: Record<string, unknown>, signal: AbortSignal): Promise<Forwarded> {
    const streamOptions = body['stream_options'] as { include_usage?: unknown } | undefined;
    return this.geminiAsOpenAi(caller, body, openAiToGeminiRequest(body), signal, { includeUsage: streamOptions?.include_usage === true, toolCallId });
  }

  async anthropicToGpt(caller: AiCaller, body: Record<string, unknown>, signal: AbortSignal): Promise<Forwarded> {
    const request = anthropicToOpenAiRequest(body);
    return openAiAsAnthropic(await this.passthrough.forward(caller, { endpoint: 'chat.completions', body: request, headers: {} }, signal));
  }

  /**
   * Through OpenAI's format both ways, so the two tested translations are all there is to it. The
   * usage chunk is asked for: Anthropic's closing message_delta carries the charged counts.
   */
  async anthropicToGemini(caller: AiCaller, body: Record<string, unknown>, signal: AbortSignal): Promise<Forwarded> {
    const request = anthropicToGeminiRequest(body);
    return openAiAsAnthropic(await this.geminiAsOpenAi(caller, body, request, signal, { includeUsage: true, toolCallId: toolUseId }));
  }

  /** A Gemini request sent through the passthrough gateway, its reply in OpenAI's shape (JSON or chunks). */
  private async geminiAsOpenAi(
    caller: AiCaller,
    body: Record<string, unknown>,
    request: Record<string, unknown>,
    signal: AbortSignal,
    reply: { includeUsage: boolean; toolCallId: () => string },
  ): Promise<Forwarded> {
    const model = String(body['model']);
    const created = Math.floor(Date.now() / 1000);
    const endpoint = body['stream'] === true ? 'gemini.streamGenerateContent' : 'gemini.generateContent';
    const forwarded = await this.passthrough.forward(caller, { endpoint, body: request, headers: {} }, signal);
    if (forwarded.kind === 'json') {
      const response = JSON.parse(forwarded.body.toString('utf8')) as Record<string, unknown>;
      const completion = geminiToOpenAiCompletion(response, created, model, reply.toolCallId);
      return { ...forwarded, contentType: 'application/json', body: Buffer.from(JSON.stringify(completion)) };
    }
    const chunks = new GeminiToOpenAiChunks(created, model, reply.includeUsage, reply.toolCallId);
    return { kind: 'stream', contentType: 'text/event-stream', events: fromGemini(forwarded.events, chunks) };
  }
}

/** A reply in OpenAI's shape, in Anthropic's. */
function openAiAsAnthropic(forwarded: Forwarded): Forwarded {
  if (forwarded.kind === 'json') {
    const completion = JSON.parse(forwarded.body.toString('utf8')) as Record<string, unknown>;
    return { ...forwarded, contentType: 'application/json', body: Buffer.from(JSON.stringify(openAiToAnthropicMessage(completion))) };
  }
  return { kind: 'stream', contentType: 'text/event-stream', events: toAnthropicEvents(forwarded.events, new OpenAiToAnthropicEvents()) };
}

/** The `data:` payload of one raw event: parsed JSON, `'[DONE]'`, or undefined. */
function dataOf(raw: string): unknown {
  const line = raw.split('\n').find((l) => l.startsWith('data:'));
  if (!line) return undefined;
  const text = line.slice(5).trim();
  if (text === '[DONE]') return text;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function* translated(events: AsyncGenerator<string>, chunks: AnthropicToOpenAiChunks): AsyncGenerator<string> {
  for await (const raw of events) {
    const data = dataOf(raw);
    if (data === undefined) continue;
    for (const chunk of chunks.next(data)) yield `data: ${chunk === '[DONE]' ? chunk : JSON.stringify(chunk)}`;
  }
}

/** Gemini's stream has no closing event: the usage chunk and `[DONE]` follow its last chunk. */
async function* fromGemini(events: AsyncGenerator<string>, chunks: GeminiToOpenAiChunks): AsyncGenerator<string> {
  for await (const raw of events) {
    const data = dataOf(raw);
    if (data === undefined) continue;
    for (const chunk of chunks.next(data)) yield `data: ${JSON.stringify(chunk)}`;
  }
  for (const chunk of chunks.end()) yield `data: ${chunk === '[DONE]' ? chunk : JSON.stringify(chunk)}`;
}

/** Gemini names no function call; OpenAI clients need an id to answer it by. */
function toolCallId(): string {
  return `call_${randomBytes(12).toString('base64url')}`;
}

/** Anthropic's ids for a tool_use block. */
function toolUseId(): string {
  return `toolu_${randomBytes(12).toString('base64url')}`;
}

async function* toAnthropicEvents(events: AsyncGenerator<string>, translator: OpenAiToAnthropicEvents): AsyncGenerator<string> {
  for await (const raw of events) {
    const data = dataOf(raw);
    if (data === undefined) continue;
    const chunk = data === '[DONE]' ? undefined : (data as Record<string, unknown>);
    for (const [event, payload] of translator.next(chunk)) yield `event: ${event}\ndata: ${JSON.stringify(payload)}`;
  }
}
