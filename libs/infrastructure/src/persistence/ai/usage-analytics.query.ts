import { Credits } from '@sah/domain';
import { DataSource } from 'typeorm';

/** `member`: per user, as `user`, for one team's members (the caller narrows `userIds` to them). */
export type UsageGroupBy = 'day' | 'model' | 'provider' | 'user' | 'team' | 'member';

export interface UsageSummaryRequest {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  groupBy: UsageGroupBy;
  /** Whose calls count; `null` means everyone's. */
  userIds: readonly string[] | null;
  /** `team` grouping: which members make up which team (the caller decides which teams it may see). */
  memberships?: ReadonlyArray<{ teamId: string; userId: string }>;
  /** The most groups returned, largest spend first (days: earliest first). */
  limit: number;
}

export interface UsageFigures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  credits: Credits;
  /** Over successful calls; `null` when there were none. */
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
  /** Share of calls that failed (cancelled calls are not failures). */
  errorRate: number;
}

export interface UsageSummaryRow extends UsageFigures {
  /** The day (`YYYY-MM-DD`, UTC), model id, provider, user id or team id. */
  key: string;
}

export interface UsageSummaryResult {
  rows: UsageSummaryRow[];
  /** Each call once, even when a user is in several teams and so in several team rows. */
  totals: UsageFigures;
  /** More groups matched than `limit`. */
  truncated: boolean;
}

interface FiguresRow {
  key?: string;
  requests: number;
  input_tokens: string;
  output_tokens: string;
  credits: string;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  errors: number;
}

const KEY: Record<Exclude<UsageGroupBy, 'team'>, string> = {
  day: `to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  model: 'u.model',
  provider: 'u.provider',
  user: 'u.user_id::text',
  member: 'u.user_id::text',
};

const FIGURES = `count(*)::int AS requests,
  coalesce(sum(u.input_tokens), 0)::text AS input_tokens,
  coalesce(sum(u.output_tokens), 0)::text AS output_tokens,
  coalesce(sum(u.credits), 0)::text AS credits,
  (avg(u.latency_ms) FILTER (WHERE u.status = 'ok'))::float8 AS avg_latency_ms,
  (percentile_cont(0.95) WITHIN GROUP (ORDER BY u.latency_ms) FILTER (WHERE u.status = 'ok'))::float8 AS p95_latency_ms,
  (count(*) FILTER (WHERE u.status = 'error'))::int AS errors`;

/**
 * Usage analytics over the usage records, aggregated in PostgreSQL (sums, average and
 * `percentile_cont` for p95) so no call rows travel to the application.
 */
export class UsageAnalyticsQuery {
  constructor(private readonly dataSource: DataSource) {}

  async summary(request: UsageSummaryRequest): Promise<UsageSummaryResult> {
    const base = [request.from, request.to, request.userIds];
    const scope = `u.created_at >= $1 AND u.created_at < $2 AND ($3::uuid[] IS NULL OR u.user_id = ANY($3))`;
    const order = request.groupBy === 'day' ? 'key ASC' : 'sum(u.credits) DESC, count(*) DESC, key ASC';
    let groups: Promise<FiguresRow[]>;
    let totals: Promise<FiguresRow[]>;
    if (request.groupBy === 'team') {
      const memberships = request.memberships ?? [];
      const teamIds = memberships.map((m) => m.teamId);
      const userIds = memberships.map((m) => m.userId);
      groups = this.dataSource.query(
        `SELECT m.team_id::text AS key, ${FIGURES}
           FROM ai_usage u JOIN unnest($4::uuid[], $5::uuid[]) AS m(team_id, user_id) ON m.user_id = u.user_id
          WHERE ${scope} GROUP BY m.team_id ORDER BY ${order} LIMIT $6`,
        [...base, teamIds, userIds, request.limit + 1],
      );
      totals = this.dataSource.query(`SELECT ${FIGURES} FROM ai_usage u WHERE ${scope} AND u.user_id = ANY($4::uuid[])`, [...base, userIds]);
    } else {
      groups = this.dataSource.query(
        `SELECT ${KEY[request.groupBy]} AS key, ${FIGURES} FROM ai_usage u WHERE ${scope} GROUP BY 1 ORDER BY ${order} LIMIT $4`,
        [...base, request.limit + 1],
      );
      totals = this.dataSource.query(`SELECT ${FIGURES} FROM ai_usage u WHERE ${scope}`, base);
    }
    const [rows, [total]] = await Promise.all([groups, totals]);
    return {
      rows: rows.slice(0, request.limit).map((row) => ({ key: row.key as string, ...figures(row) })),
      totals: figures(total as FiguresRow),
      truncated: rows.length > request.limit,
    };
  }
}

function figures(row: FiguresRow): UsageFigures {
  return {
    requests: row.requests,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    credits: Credits.fromMillis(row.credits),
    avgLatencyMs: row.avg_latency_ms === null ? null : Math.round(row.avg_latency_ms),
    p95LatencyMs: row.p95_latency_ms === null ? null : Math.round(row.p95_latency_ms),
    errorRate: row.requests === 0 ? 0 : row.errors / row.requests,
  };
}
