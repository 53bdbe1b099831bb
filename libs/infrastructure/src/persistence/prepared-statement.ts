import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A hot, fixed statement that each pooled connection parses and plans once (a named prepared
 * statement), where TypeORM's `query` has the server parse and plan it on every call. A media job's
 * guarded updates spent as long being planned as executed (pg_stat_statements under issue 9's bench).
 *
 * The statement names its columns rather than `*`: a cached plan refuses to run once its result
 * columns would change, as after a migration adding one to the table while this process runs.
 * Outside a TypeORM transaction only: it runs on any free connection of the pool.
 */
export class PreparedStatement<Row extends QueryResultRow> {
  constructor(
    private readonly name: string,
    private readonly text: string,
  ) {}

  async run(dataSource: DataSource, values: unknown[]): Promise<Row[]> {
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    const result = await pool.query<Row>({ name: this.name, text: this.text, values });
    return result.rows;
  }
}
