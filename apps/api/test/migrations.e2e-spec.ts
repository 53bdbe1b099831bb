import { buildDataSourceOptions, runMigrations } from '@sah/infrastructure';
import { createEmptyDatabase } from '@sah/infrastructure/testing';
import { DataSource } from 'typeorm';

describe('migrations on an empty database', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createEmptyDatabase('migrations');
  });
  afterAll(() => database.drop());

  const settings = () => ({ url: database.url, poolMax: 2, applicationName: 'test' });

  it('applies every migration once; a second run applies none; concurrent runs never double-apply', async () => {
    expect(await runMigrations(settings())).toEqual(['InitialSchema1763740000000']);
    expect(await runMigrations(settings())).toEqual([]);
    const concurrent = await Promise.all([runMigrations(settings()), runMigrations(settings())]);
    expect(concurrent).toEqual([[], []]);
  });

  it('can be undone by its down migration', async () => {
    const dataSource = await new DataSource(buildDataSourceOptions(settings())).initialize();
    try {
      await dataSource.undoLastMigration();
      const [{ exists }] = (await dataSource.query(`SELECT to_regclass('idempotency_record') IS NOT NULL AS exists`)) as {
        exists: boolean;
      }[];
      expect(exists).toBe(false);
    } finally {
      await dataSource.destroy();
    }
    expect(await runMigrations(settings())).toEqual(['InitialSchema1763740000000']);
  });
});

describe('concurrent first start', () => {
  it('lets two processes migrate the same empty database without conflict', async () => {
    const database = await createEmptyDatabase('migrations_race');
    try {
      const settings = { url: database.url, poolMax: 2, applicationName: 'test' };
      const results = await Promise.all([runMigrations(settings), runMigrations(settings)]);
      expect(results.flat()).toEqual(['InitialSchema1763740000000']);
    } finally {
      await database.drop();
    }
  });
});
