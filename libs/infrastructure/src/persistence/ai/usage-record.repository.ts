import { DataSource } from 'typeorm';

export interface UsageRecord {
  userId: string;
  apiKeyId: string | null;
  endpoint: 'openai' | 'anthropic' | 'gemini' | 'graphql' | 'websocket' | 'mcp';
  model: string;
  provider: string;
  upstreamModel: string;
  stream: boolean;
  inputTokens: number;
  outputTokens: number;
  /** Of the input tokens, those read from the provider's prompt cache. */
  cachedInputTokens?: number;
  creditsMillis: bigint;
  latencyMs: number;
  ttftMs: number | null;
  status: 'ok' | 'error' | 'aborted';
  errorCode: string | null;
  attempts: number;
  holdId: string | null;
  transactionId: string | null;
  /** The channel that served (or was last tried), when a call reached one. */
  channel?: { id: string; name: string } | null;
}

/** One row per AI call, for analytics and for the user's own history. */
export class UsageRecordRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(usage: UsageRecord): Promise<string> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ai_usage (user_id, api_key_id, endpoint, model, provider, upstream_model, stream, input_tokens, output_tokens,
                             credits, latency_ms, ttft_ms, status, error_code, attempts, hold_id, transaction_id, cached_input_tokens,
                             channel_id, channel_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
      [
        usage.userId,
        usage.apiKeyId,
        usage.endpoint,
        usage.model,
        usage.provider,
        usage.upstreamModel,
        usage.stream,
        usage.inputTokens,
        usage.outputTokens,
        usage.creditsMillis.toString(),
        usage.latencyMs,
        usage.ttftMs,
        usage.status,
        usage.errorCode,
        usage.attempts,
        usage.holdId,
        usage.transactionId,
        usage.cachedInputTokens ?? 0,
        usage.channel?.id ?? null,
        usage.channel?.name ?? null,
      ],
    )) as Array<{ id: string }>;
    return (rows[0] as { id: string }).id;
  }
}
