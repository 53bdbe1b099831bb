import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../data-source.options';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { IdempotencyRecordRepository } from './idempotency-record.repository';

describe('IdempotencyRecordRepository (PostgreSQL)', () => {
  let dataSource: DataSource;
  let repository: IdempotencyRecordRepository;
  // Each test writes under its own scope, so tests never depend on each other's rows.
  let scope: string;

  beforeAll(async () => {
    dataSource = new DataSource(
      buildDataSourceOptions({ url: requiredEnv('TEST_DATABASE_URL'), poolMax: 2, applicationName: 'test' }),
    );
    await dataSource.initialize();
    repository = new IdempotencyRecordRepository(dataSource);
  });

  afterAll(() => dataSource.destroy());
  beforeEach(() => (scope = `test-${randomUUID()}`));

  const insert = (key: string, createdAt: Date, expiresAt: Date) =>
    dataSource
      .getRepository(IdempotencyRecordEntity)
      .insert({ scope, key, requestHash: 'h', response: { ok: true }, createdAt, expiresAt });

  const keysLeft = async () =>
    (await dataSource.getRepository(IdempotencyRecordEntity).findBy({ scope })).map((r) => r.key).sort();

  it('deletes expired rows and keeps live ones', async () => {
    const now = new Date('2030-01-02T00:00:00Z');
    const created = new Date('2030-01-01T00:00:00Z');
    await insert('expired', created, new Date('2030-01-01T12:00:00Z'));
    await insert('expires-now', created, now);
    await insert('live', created, new Date('2030-01-03T00:00:00Z'));

    await repository.purgeExpired(now, 100);

    expect(await keysLeft()).toEqual(['live']);
  });

  it('works through a backlog larger than one batch', async () => {
    const created = new Date('2030-01-01T00:00:00Z');
    for (let i = 0; i < 7; i++) await insert(`k${i}`, created, new Date('2030-01-01T01:00:00Z'));

    const deleted = await repository.purgeExpired(new Date('2030-06-01T00:00:00Z'), 3);

    expect(deleted).toBeGreaterThanOrEqual(7);
    expect(await keysLeft()).toEqual([]);
  });

  it('is protected by constraints in the database, not only in code', async () => {
    const created = new Date('2030-01-01T00:00:00Z');
    await expect(insert('', created, new Date('2030-01-02T00:00:00Z'))).rejects.toThrow(/check constraint/);
    await expect(insert('backwards', created, new Date('2029-12-31T00:00:00Z'))).rejects.toThrow(
      /chk_idempotency_record_expiry/,
    );
  });
});

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through the jest config's global setup`);
  return value;
}
