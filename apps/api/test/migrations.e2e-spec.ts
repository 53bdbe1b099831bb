import { buildDataSourceOptions, MIGRATIONS, runMigrations } from '@sah/infrastructure';
import { createEmptyDatabase } from '@sah/infrastructure/testing';
import { DataSource } from 'typeorm';

const ALL = MIGRATIONS.map((migration) => migration.name);

describe('migrations on an empty database', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createEmptyDatabase('migrations');
  });
  afterAll(() => database.drop());

  const settings = () => ({ url: database.url, poolMax: 2, applicationName: 'test' });

  it('applies every migration once; a second run applies none; concurrent runs never double-apply', async () => {
    expect(await runMigrations(settings())).toEqual(ALL);
    expect(ALL.length).toBeGreaterThanOrEqual(2);
    expect(await runMigrations(settings())).toEqual([]);
    const concurrent = await Promise.all([runMigrations(settings()), runMigrations(settings())]);
    expect(concurrent).toEqual([[], []]);
  });

  it('can be undone, every step, by the down migrations, and reapplied', async () => {
    const dataSource = await new DataSource(buildDataSourceOptions(settings())).initialize();
    const tableExists = async (table: string) =>
      ((await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table])) as { exists: boolean }[])[0].exists;
    try {
      for (let i = 0; i < ALL.length; i++) await dataSource.undoLastMigration();
      expect(await tableExists('idempotency_record')).toBe(false);
      expect(await tableExists('identity_user')).toBe(false);
    } finally {
      await dataSource.destroy();
    }
    expect(await runMigrations(settings())).toEqual(ALL);
  });
});

describe('concurrent first start', () => {
  it('lets two processes migrate the same empty database without conflict', async () => {
    const database = await createEmptyDatabase('migrations_race');
    try {
      const settings = { url: database.url, poolMax: 2, applicationName: 'test' };
      const results = await Promise.all([runMigrations(settings), runMigrations(settings)]);
      expect(results.flat()).toEqual(ALL);
    } finally {
      await database.drop();
    }
  });
});
