import { DataSource } from 'typeorm';
import { rollUpDaysBefore } from '../daily-rollup';
import { USAGE_DAILY } from './usage-figures.query';

/**
 * Usage records are request logs (no request or response bodies are stored): they are kept for the
 * configured retention, then deleted in batches so a large backlog never holds one long lock. The
 * dashboard's daily figures outlive them: their days are rolled up first, and rows of a day that is
 * not closed yet stay until it is.
 */
export class UsageRetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async purgeOlderThan(cutoff: Date, batchSize: number): Promise<number> {
    const until = await rollUpDaysBefore(this.dataSource, USAGE_DAILY, cutoff);
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM ai_usage WHERE id IN (SELECT id FROM ai_usage WHERE created_at < $1 LIMIT $2)`,
        [until, batchSize],
      )) as [unknown, number];
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  /** Every usage record of a user whose account is being erased (the daily roll-ups name no user). */
  async deleteForUser(userId: string): Promise<number> {
    const [, deleted] = (await this.dataSource.query(`DELETE FROM ai_usage WHERE user_id = $1`, [userId])) as [unknown, number];
    return deleted;
  }
}
