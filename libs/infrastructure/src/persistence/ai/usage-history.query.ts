import { DataSource } from 'typeorm';

/** One user's usage records as they are kept (the retention period's worth), oldest first. */
export class UsageHistoryQuery {
  constructor(private readonly dataSource: DataSource) {}

  forUser(userId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT id, api_key_id AS "apiKeyId", endpoint, model, stream, input_tokens AS "inputTokens",
              output_tokens AS "outputTokens", credits::text AS "milliCredits", latency_ms AS "latencyMs",
              status, error_code AS "errorCode", created_at AS "createdAt"
         FROM ai_usage WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
  }
}
