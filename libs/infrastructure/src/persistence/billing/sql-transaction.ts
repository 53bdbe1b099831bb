import { DataSource, QueryRunner } from 'typeorm';

/** A thin handle on one database transaction: raw SQL, rows back. */
export class SqlTransaction {
  constructor(private readonly runner: QueryRunner) {}

  async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(sql, params, true);
    return result.records as T[];
  }

  async one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, params))[0];
  }

  /** For statements that always return a row (INSERT/UPDATE … RETURNING of a row known to exist). */
  async only<T>(sql: string, params: unknown[] = []): Promise<T> {
    const row = await this.one<T>(sql, params);
    if (row === undefined) throw new Error(`expected a row from: ${sql.trim().split('\n')[0]}`);
    return row;
  }
}

/** Runs `work` in one READ COMMITTED transaction; rolls back on any error. */
export async function inTransaction<T>(dataSource: DataSource, work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const result = await work(new SqlTransaction(runner));
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
