import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { groupCommit } from '../group-commit';
import { PreparedStatement } from '../prepared-statement';

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
  /** Records arriving together (calls settled side by side) are inserted in one statement. */
  private readonly insert = groupCommit((batch: readonly UsageRow[]) => this.insertBatch(batch));

  constructor(private readonly dataSource: DataSource) {}

  async record(usage: UsageRecord): Promise<string> {
    const id = randomUUID();
    await this.insert({
      id,
      user_id: usage.userId,
      api_key_id: usage.apiKeyId,
      endpoint: usage.endpoint,
      model: usage.model,
      provider: usage.provider,
      upstream_model: usage.upstreamModel,
      stream: usage.stream,
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      credits: usage.creditsMillis.toString(),
      latency_ms: usage.latencyMs,
      ttft_ms: usage.ttftMs,
      status: usage.status,
      error_code: usage.errorCode,
      attempts: usage.attempts,
      hold_id: usage.holdId,
      transaction_id: usage.transactionId,
      cached_input_tokens: usage.cachedInputTokens ?? 0,
      channel_id: usage.channel?.id ?? null,
      channel_name: usage.channel?.name ?? null,
    });
    return id;
  }

  private async insertBatch(batch: readonly UsageRow[]): Promise<null[]> {
    await INSERT.run(this.dataSource, [JSON.stringify(batch)]);
    return batch.map(() => null);
  }
}

/** A usage record as its row, which `jsonb_to_recordset` reads by column name. */
interface UsageRow {
  id: string;
  user_id: string;
  api_key_id: string | null;
  endpoint: UsageRecord['endpoint'];
  model: string;
  provider: string;
  upstream_model: string;
  stream: boolean;
  input_tokens: number;
  output_tokens: number;
  credits: string;
  latency_ms: number;
  ttft_ms: number | null;
  status: UsageRecord['status'];
  error_code: string | null;
  attempts: number;
  hold_id: string | null;
  transaction_id: string | null;
  cached_input_tokens: number;
  channel_id: string | null;
  channel_name: string | null;
}

const COLUMN_TYPES = `id uuid, user_id uuid, api_key_id uuid, endpoint text, model text, provider text, upstream_model text, stream boolean,
  input_tokens integer, output_tokens integer, credits bigint, latency_ms integer, ttft_ms integer, status text, error_code text,
  attempts integer, hold_id uuid, transaction_id uuid, cached_input_tokens integer, channel_id uuid, channel_name text`;
const COLUMNS = COLUMN_TYPES.split(',')
  .map((column) => column.trim().split(' ')[0])
  .join(', ');
const INSERT = new PreparedStatement(
  'ai_usage_insert',
  `INSERT INTO ai_usage (${COLUMNS}) SELECT ${COLUMNS} FROM jsonb_to_recordset($1) AS r(${COLUMN_TYPES})`,
);
