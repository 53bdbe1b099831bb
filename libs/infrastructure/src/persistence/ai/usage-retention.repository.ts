import { DataSource } from 'typeorm';

/**
 * Usage records are request logs (no request or response bodies are stored): they are kept for the
 * configured retention, then deleted in batches so a large backlog never holds one long lock.
 */
export class UsageRetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async purgeOlderThan(cutoff: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM ai_usage WHERE id IN (SELECT id FROM ai_usage WHERE created_at < $1 LIMIT $2)`,
        [cutoff, batchSize],
      )) as [unknown, number];
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
