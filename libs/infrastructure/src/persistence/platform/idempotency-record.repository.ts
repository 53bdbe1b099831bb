import { DataSource } from 'typeorm';

export class IdempotencyRecordRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Deletes expired rows in batches so a large backlog never holds one long lock.
   * Returns how many rows were deleted.
   */
  async purgeExpired(now: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM idempotency_record
          WHERE (scope, key) IN (
            SELECT scope, key FROM idempotency_record WHERE expires_at <= $1 LIMIT $2
          )`,
        [now, batchSize],
      )) as [unknown, number];
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
