import type { QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import { committed, CommitMode } from '../commit-mode';
import { PreparedStatement } from '../prepared-statement';
import type { HoldRequest } from './ledger.types';

/** One hold without an idempotency key as `ledger_hold_batch` reads it (a team's adds its team and day). */
export interface Hold {
  user_id: string;
  amount: string;
  expires_at: string;
  description: string | null;
  metadata: Record<string, unknown>;
  budget_key: string | null;
  budget_month: string | null;
  budget: string | null;
}

export function holdRow(request: Pick<HoldRequest, 'userId' | 'amount' | 'expiresAt' | 'description' | 'metadata' | 'budget'>): Hold {
  return {
    user_id: request.userId,
    amount: request.amount.millis.toString(),
    expires_at: request.expiresAt.toISOString(),
    description: request.description ?? null,
    metadata: request.metadata ?? {},
    budget_key: request.budget?.apiKeyId ?? null,
    budget_month: request.budget?.month ?? null,
    budget: request.budget?.credits.millis.toString() ?? null,
  };
}

/** A ledger function's statement in both commit modes, each prepared once per connection. */
export function preparedPerCommitMode<Row extends QueryResultRow>(name: string, select: string): Record<CommitMode, PreparedStatement<Row>> {
  return {
    durable: new PreparedStatement(name, committed(select, 'durable')),
    relaxed: new PreparedStatement(`${name}_relaxed`, committed(select, 'relaxed')),
  };
}

/** The result of a ledger function's statement, which answers one row. */
export function onlyResult<Result>(rows: Array<{ result: Result }>): Result {
  const row = rows[0];
  if (!row) throw new Error('a ledger function returned no row');
  return row.result;
}

/**
 * Writes a group-committed batch: through its batch function (which locks the batch's accounts first,
 * in id order), or a lone item through the plain function, as it needs no upfront locking.
 */
export async function writeLedgerBatch<Item, Result>(
  dataSource: DataSource,
  batch: readonly Item[],
  statement: PreparedStatement<{ results: Result[] }>,
  params: unknown[],
  alone: (item: Item) => Promise<Array<{ result: Result }>>,
): Promise<Result[]> {
  const [lone] = batch;
  const results =
    lone !== undefined && batch.length === 1 ? [onlyResult(await alone(lone))] : (await statement.run(dataSource, params))[0]?.results;
  if (results?.length !== batch.length) throw new Error('a ledger function did not answer one result per item');
  return results;
}
