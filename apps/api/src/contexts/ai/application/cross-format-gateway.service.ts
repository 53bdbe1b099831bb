import { Injectable } from '@nestjs/common';
import { AnthropicToOpenAiChunks, anthropicToOpenAiCompletion, openAiToAnthropicRequest } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { AiCaller } from './chat-gateway.service';
import { Forwarded, PassthroughGateway } from './passthrough-gateway.service';

/**
 * An OpenAI client calling a Claude model with what plain text chat cannot carry (tools, tool
 * results, images, reasoning effort): the body is translated to Anthropic's format, sent through the
 * passthrough gateway (metered from Anthropic's own usage), and the reply translated back, streamed
 * tool-call deltas included.
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
}

async function* translated(events: AsyncGenerator<string>, chunks: AnthropicToOpenAiChunks): AsyncGenerator<string> {
  for await (const raw of events) {
    const line = raw.split('\n').find((l) => l.startsWith('data:'));
    if (!line) continue;
    let data: unknown;
    try {
      data = JSON.parse(line.slice(5));
    } catch {
      continue;
    }
    for (const chunk of chunks.next(data)) yield `data: ${chunk === '[DONE]' ? chunk : JSON.stringify(chunk)}`;
  }
}
