import { Credits } from '@sah/domain';
import { DataSource } from 'typeorm';
import type { UsageRecord } from './usage-record.repository';

/** One AI call as its caller may see it: no hold or transaction ids, no upstream model name. */
export interface RecentUsage {
  id: string;
  at: Date;
  endpoint: UsageRecord['endpoint'];
  model: string;
  provider: string;
  stream: boolean;
  inputTokens: number;
  outputTokens: number;
  credits: Credits;
  latencyMs: number;
  status: UsageRecord['status'];
  errorCode: string | null;
}

interface RecentUsageRow {
  id: string;
  created_at: Date;
  endpoint: UsageRecord['endpoint'];
  model: string;
  provider: string;
  stream: boolean;
  input_tokens: number;
  output_tokens: number;
  credits: string;
  latency_ms: number;
  status: UsageRecord['status'];
  error_code: string | null;
}

/** The read side of ai_usage for one user's own history. */
export class UsageQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first (served by the (user_id, created_at DESC) index). */
  async recent(userId: string, limit: number): Promise<RecentUsage[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, created_at, endpoint, model, provider, stream, input_tokens, output_tokens, credits, latency_ms, status, error_code
         FROM ai_usage WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [userId, limit],
    )) as RecentUsageRow[];
    return rows.map((row) => ({
      id: row.id,
      at: row.created_at,
      endpoint: row.endpoint,
      model: row.model,
      provider: row.provider,
      stream: row.stream,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      credits: Credits.fromMillis(row.credits),
      latencyMs: row.latency_ms,
      status: row.status,
      errorCode: row.error_code,
    }));
  }
}
