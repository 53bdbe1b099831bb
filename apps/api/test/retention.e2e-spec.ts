import { UsageRetentionRepository } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PurgeExpiredRowsHandler } from '../src/maintenance/purge-expired-rows.handler';
import { startTestApp, TestApp } from './support/test-app';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Retention purges through the maintenance handler, on the app's own copy of the database. Workers
 * are off, so no scheduled run races the one under test.
 */
describe('retention purges', () => {
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp({ WORKERS: 'off' });
    db = api.app.get(DataSource);
    // How many rows each DELETE statement removed, per table: the purges must work in bounded batches.
    await db.query(`CREATE TABLE test_purge_statement (tbl text NOT NULL, deleted int NOT NULL)`);
    await db.query(`
      CREATE FUNCTION test_count_purged() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO test_purge_statement SELECT TG_TABLE_NAME, count(*) FROM gone;
        RETURN NULL;
      END $$`);
    for (const table of ['identity_audit_log', 'ai_usage'])
      await db.query(
        `CREATE TRIGGER test_count_purged AFTER DELETE ON ${table} REFERENCING OLD TABLE AS gone
           FOR EACH STATEMENT EXECUTE FUNCTION test_count_purged()`,
      );
  });
  afterAll(() => api.close());

  const statements = async (table: string) =>
    (
      (await db.query(`SELECT deleted FROM test_purge_statement WHERE tbl = $1 AND deleted > 0`, [table])) as Array<{
        deleted: number;
      }>
    ).map((row) => row.deleted);

  beforeEach(() => db.query(`DELETE FROM test_purge_statement`));

  describe('audit log (AUDIT_LOG_RETENTION_DAYS, seven years)', () => {
    const seed = async (marker: string, ages: number[]) => {
      for (const ageDays of ages)
        await db.query(
          `INSERT INTO identity_audit_log (occurred_at, action, target_type, target_id) VALUES (now() - $1 * interval '1 day', 'test.retention', 'test', $2)`,
          [ageDays, marker],
        );
    };
    const agesLeft = async (marker: string) =>
      (
        (await db.query(
          `SELECT round(extract(epoch FROM now() - occurred_at) / 86400)::int AS age FROM identity_audit_log WHERE target_id = $1 ORDER BY 1`,
          [marker],
        )) as Array<{ age: number }>
      ).map((row) => row.age);

    it('is seven years by default', () => {
      expect(api.config.identity.auditLogRetentionDays).toBe(2557);
    });

    it('deletes entries older than the period in batches, keeps the newer ones', async () => {
      const marker = randomUUID();
      await seed(marker, [2558, 2600, 3000, 3650, 5000, 2556, 30]);

      const result = await api.app.get(PurgeExpiredRowsHandler).execute({ batchSize: 2 });

      expect(result.auditLog).toBe(5);
      expect(await agesLeft(marker)).toEqual([30, 2556]);
      const batches = await statements('identity_audit_log');
      expect(batches).toEqual([2, 2, 1]);
    });

    it('stays append-only for everything else: nothing younger than a declared cutoff can go, nothing changes', async () => {
      const marker = randomUUID();
      await seed(marker, [10]);
      await expect(db.query(`DELETE FROM identity_audit_log WHERE target_id = $1`, [marker])).rejects.toThrow(
        /append-only/,
      );
      await expect(
        db.query(`UPDATE identity_audit_log SET action = 'x' WHERE target_id = $1`, [marker]),
      ).rejects.toThrow(/append-only/);
      await expect(
        db.transaction(async (manager) => {
          await manager.query(`SELECT set_config('sah.audit_log_purge_before', (now() - interval '20 days')::text, true)`);
          await manager.query(`DELETE FROM identity_audit_log WHERE target_id = $1`, [marker]);
        }),
      ).rejects.toThrow(/append-only/);
      expect(await agesLeft(marker)).toEqual([10]);
    });
  });

  describe('usage records (AI_USAGE_RETENTION_DAYS, 30 days)', () => {
    const insertUsage = (userId: string, at: Date, tokens: number) =>
      db.query(
        `INSERT INTO ai_usage (user_id, endpoint, model, provider, upstream_model, stream, input_tokens, output_tokens, credits, latency_ms, status, created_at)
         VALUES ($1, 'openai', 'm', 'openai', 'm', false, $2, 0, 0, 10, 'ok', $3)`,
        [userId, tokens, at],
      );
    const utcDay = (at: Date) => at.toISOString().slice(0, 10);
    const rollupOf = async (day: string) =>
      (
        (await db.query(`SELECT requests, input_tokens::int AS tokens FROM ai_usage_daily WHERE day = $1`, [day])) as Array<{
          requests: number;
          tokens: number;
        }>
      )[0];
    const rowsOf = async (userId: string) =>
      (
        (await db.query(`SELECT input_tokens AS tokens FROM ai_usage WHERE user_id = $1 ORDER BY input_tokens`, [
          userId,
        ])) as Array<{ tokens: number }>
      ).map((row) => row.tokens);

    it('deletes records older than the period in batches; the dashboard’s daily figures of those days survive', async () => {
      const userId = randomUUID();
      // Noon of the UTC day 40 days back: every row of it is past the retention, none was rolled up yet.
      const old = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate(), 12) - 40 * DAY_MS);
      const rolledUp = new Date(old.getTime() - 5 * DAY_MS);
      await db.query(`DELETE FROM ai_usage_daily WHERE day IN ($1, $2)`, [utcDay(old), utcDay(rolledUp)]);
      for (const tokens of [1, 2, 3]) await insertUsage(userId, old, tokens);
      // A day already rolled up keeps its figures as they were computed.
      await insertUsage(userId, rolledUp, 4);
      await db.query(
        `INSERT INTO ai_usage_daily (day, requests, errors, input_tokens, output_tokens, credits, p95_latency_ms) VALUES ($1, 9, 0, 99, 0, 0, 10)`,
        [utcDay(rolledUp)],
      );
      await insertUsage(userId, new Date(Date.now() - 29 * DAY_MS), 5);
      await insertUsage(userId, new Date(), 6);

      const result = await api.app.get(PurgeExpiredRowsHandler).execute({ batchSize: 2 });

      expect(result.aiUsage).toBe(4);
      expect(await rowsOf(userId)).toEqual([5, 6]);
      expect(await rollupOf(utcDay(old))).toEqual({ requests: 3, tokens: 6 });
      expect(await rollupOf(utcDay(rolledUp))).toEqual({ requests: 9, tokens: 99 });
      expect(await statements('ai_usage')).toEqual([2, 2]);
    });

    it('keeps the rows of a day that is not closed yet, whatever the cutoff', async () => {
      const userId = randomUUID();
      await insertUsage(userId, new Date(Date.now() - 60_000), 7);
      await api.app.get(UsageRetentionRepository).purgeOlderThan(new Date(Date.now() + 60_000), 100);
      expect(await rowsOf(userId)).toEqual([7]);
    });
  });
});
