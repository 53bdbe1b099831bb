import type { ProviderName } from '../chat';
import type { PassthroughEndpoint } from '../passthrough/passthrough-endpoints';

/** One server-sent event as the provider wrote it (`raw`, without the blank line that ends it). */
export interface SseEvent {
  raw: string;
  event?: string;
  /** The `data:` lines joined; absent for comments and keep-alives. */
  data?: string;
}

export interface PassthroughRequest {
  endpoint: PassthroughEndpoint;
  body: Record<string, unknown>;
  stream: boolean;
  /** Provider headers the client sent that shape the call (`anthropic-version`, `anthropic-beta`, `openai-beta`). */
  headers: Readonly<Record<string, string>>;
}

export type PassthroughReply =
  | { kind: 'json'; status: number; contentType: string; body: Buffer }
  /** The provider's events, with the stream deadlines applied; stop reading to cut the upstream. */
  | { kind: 'stream'; status: number; contentType: string; events: AsyncIterable<SseEvent> };

export interface PassthroughCallOptions {
  apiKey: string;
  signal: AbortSignal;
  /** A channel's base URL, typed by an admin (connected to only through the address guard); absent = the configured one. */
  baseUrl?: string;
}

/** What testing a channel's connection found. */
export interface ProbeResult {
  ok: boolean;
  /** The HTTP status of the answer; null when none came. */
  status: number | null;
  latencyMs: number;
  message: string;
}

/**
 * Port: forwards a request in the provider's own format and hands back its reply as it comes.
 * Adapters throw `ProviderFailure` for a failed call (status ≥ 400, timeout, unreachable).
 */
export abstract class PassthroughProvider {
  abstract readonly protocol: ProviderName;
  abstract send(request: PassthroughRequest, options: PassthroughCallOptions): Promise<PassthroughReply>;
  /** Asks the provider for its model list with the key (free): whether the base URL answers and takes the key. */
  abstract probe(options: Omit<PassthroughCallOptions, 'signal'>): Promise<ProbeResult>;
  /** Closes pooled connections at shutdown. */
  abstract close(): Promise<void>;
}
