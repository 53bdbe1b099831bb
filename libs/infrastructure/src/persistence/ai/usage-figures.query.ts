import { Credits } from '@sah/domain';
import { DataSource } from 'typeorm';
import { dailySeries, DailyRollup } from '../daily-rollup';
import type { UsageRecord } from './usage-record.repository';

/** AI calls of one UTC day, every caller together. The p95 latency is over successful calls. */
export interface DailyUsage {
  day: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  credits: Credits;
  p95LatencyMs: number | null;
}

/** Today's calls through one entry point (openai, anthropic, graphql, websocket, mcp). */
export interface ChannelUsage {
  channel: UsageRecord['endpoint'];
  requests: number;
  errors: number;
}

/** One user's calls over a period. */
export interface UserUsage {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  credits: Credits;
}

// Figures as usageSummary reports them: errors are status 'error', p95 over 'ok' calls.
export const USAGE_DAILY: DailyRollup = {
  table: 'ai_usage_daily',
  source: 'ai_usage',
  columns: ['requests', 'errors', 'input_tokens', 'output_tokens', 'credits', 'p95_latency_ms'],
  aggregates: [
    'count(t.id)::int',
    `(count(t.id) FILTER (WHERE t.status = 'error'))::int`,
    'coalesce(sum(t.input_tokens), 0)::bigint',
    'coalesce(sum(t.output_tokens), 0)::bigint',
    'coalesce(sum(t.credits), 0)::bigint',
    `(percentile_cont(0.95) WITHIN GROUP (ORDER BY t.latency_ms) FILTER (WHERE t.status = 'ok'))::float8`,
  ],
};

/** AI traffic figures for the operations dashboard. */
export class UsageFiguresQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** The last `days` UTC days, today included, oldest first (closed days from the daily rollup). */
  async daily(days: number): Promise<DailyUsage[]> {
    const rows = await dailySeries(this.dataSource, USAGE_DAILY, days);
    return rows.map((row) => ({
      day: row.day,
      requests: Number(row.requests ?? 0),
      errors: Number(row.errors ?? 0),
      inputTokens: Number(row.input_tokens ?? 0),
      outputTokens: Number(row.output_tokens ?? 0),
      credits: Credits.fromMillis(row.credits ?? 0),
      p95LatencyMs: row.p95_latency_ms === null || row.p95_latency_ms === undefined ? null : Number(row.p95_latency_ms),
    }));
  }

  /** Since 00:00 UTC, by entry point, busiest first. */
  async channelsToday(): Promise<ChannelUsage[]> {
    const rows = (await this.dataSource.query(
      `SELECT endpoint, count(*)::int AS requests, (count(*) FILTER (WHERE status = 'error'))::int AS errors
         FROM ai_usage WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        GROUP BY endpoint ORDER BY requests DESC, endpoint`,
    )) as Array<{ endpoint: UsageRecord['endpoint']; requests: number; errors: number }>;
    return rows.map((row) => ({ channel: row.endpoint, requests: row.requests, errors: row.errors }));
  }

  /** One user's calls since the start of the current UTC month (served by the (user_id, created_at) index). */
  async userThisMonth(userId: string): Promise<UserUsage> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS requests, (count(*) FILTER (WHERE status = 'error'))::int AS errors,
              coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
              coalesce(sum(credits), 0)::bigint AS credits
         FROM ai_usage WHERE user_id = $1 AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [userId],
    )) as [{ requests: number; errors: number; input_tokens: string; output_tokens: string; credits: string }];
    return {
      requests: row.requests,
      errors: row.errors,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      credits: Credits.fromMillis(row.credits),
    };
  }
}
