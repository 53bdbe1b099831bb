import type { DataSource } from 'typeorm';
import type { TestApp } from './test-app';

/** What a gray-failure test measures of a call: its outcome and how long the caller waited for it. */
export async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

export interface HealthAnswer {
  status: number;
  body: { status: string; checks: { database: string; redis: string } };
}

export async function health(api: TestApp): Promise<HealthAnswer> {
  const res = await fetch(`${api.url}/health`);
  return { status: res.status, body: (await res.json()) as HealthAnswer['body'] };
}

/** The REST error body's code and status, for endpoints that answer the contract's REST format. */
export async function restError(res: Response): Promise<{ status: number; code: string | undefined }> {
  const body = (await res.json()) as { error?: { code?: string } };
  return { status: res.status, code: body.error?.code };
}

/** Outbox events not yet handed to their handlers (a recovered app relays them all). */
export async function unpublishedOutboxEvents(db: DataSource): Promise<number> {
  const rows = (await db.query(`SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL`)) as Array<{ n: number }>;
  return rows[0]?.n ?? -1;
}
