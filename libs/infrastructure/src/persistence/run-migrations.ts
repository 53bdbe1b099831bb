import { DataSource } from 'typeorm';
import { buildDataSourceOptions, DatabaseSettings } from './data-source.options';

/** Any fixed number: it names the advisory lock that serialises concurrent migration runs. */
const MIGRATION_LOCK_ID = 727_274_001;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so an API and a worker starting
 * together never run the same migration twice. Returns the names of the migrations applied.
 */
export async function runMigrations(settings: DatabaseSettings): Promise<string[]> {
  const dataSource = new DataSource({ ...buildDataSourceOptions({ ...settings, poolMax: 2 }) });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
