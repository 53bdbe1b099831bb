import { Credits, TransactionType } from '@sah/domain';
import { DataSource } from 'typeorm';
import { toTransaction, TransactionRow } from './ledger.rows';
import type { TransactionFilter } from './ledger.query';
import type { LedgerTransaction } from './ledger.types';

export interface StatementFigures {
  /** Sum over the accounts of their balance just before the period. */
  openingBalance: Credits;
  /** Sum over the accounts of their balance at the end of the period (or now, for the current one). */
  closingBalance: Credits;
  /** Net effect of each transaction type in the period, types without transactions left out. */
  totalsByType: Array<{ type: TransactionType; amount: Credits }>;
  transactionCount: number;
}

/** Reports over the ledger for finance: statements, exports, balances of many accounts at once. */
export class LedgerReportsQuery {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A balance at an instant is the `balance_after` of the account's last transaction before it:
   * transactions of one account are serialised by its row lock, so their order in time is their
   * order on the balance.
   */
  async statement(userIds: readonly string[], from: Date, to: Date): Promise<StatementFigures> {
    const [balances, totals] = await Promise.all([
      this.dataSource.query(
        `SELECT coalesce(sum(opening.balance_after), 0) AS opening, coalesce(sum(closing.balance_after), 0) AS closing
           FROM unnest($1::uuid[]) AS u (user_id)
           LEFT JOIN LATERAL (SELECT balance_after FROM ledger_transaction t WHERE t.user_id = u.user_id AND t.created_at < $2
                               ORDER BY t.created_at DESC, t.id DESC LIMIT 1) opening ON true
           LEFT JOIN LATERAL (SELECT balance_after FROM ledger_transaction t WHERE t.user_id = u.user_id AND t.created_at < $3
                               ORDER BY t.created_at DESC, t.id DESC LIMIT 1) closing ON true`,
        [userIds, from, to],
      ) as Promise<Array<{ opening: string; closing: string }>>,
      this.dataSource.query(
        `SELECT type, sum(amount) AS amount, count(*)::int AS count FROM ledger_transaction
          WHERE user_id = ANY($1::uuid[]) AND created_at >= $2 AND created_at < $3
          GROUP BY type ORDER BY type`,
        [userIds, from, to],
      ) as Promise<Array<{ type: TransactionType; amount: string; count: number }>>,
    ]);
    return {
      openingBalance: Credits.fromMillis(balances[0]!.opening),
      closingBalance: Credits.fromMillis(balances[0]!.closing),
      totalsByType: totals.map((row) => ({ type: row.type, amount: Credits.fromMillis(row.amount) })),
      transactionCount: totals.reduce((sum, row) => sum + row.count, 0),
    };
  }

  /**
   * Every matching transaction, fetched in batches by keyset (the position of the last row seen),
   * so rows committed while an export runs neither repeat nor shift the rest.
   */
  async *transactions(filter: TransactionFilter, order: 'newest' | 'oldest' = 'newest', batchSize = 500): AsyncGenerator<LedgerTransaction> {
    const direction = order === 'newest' ? 'DESC' : 'ASC';
    const comparison = order === 'newest' ? '<' : '>';
    // The position travels as text: a JS Date would cut created_at's microseconds and skip rows.
    let after: { position: string; id: string } | undefined;
    for (;;) {
      const { where, params } = whereClause(filter);
      if (after) {
        params.push(after.position, after.id);
        where.push(`(created_at, id) ${comparison} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
      }
      params.push(batchSize);
      const rows = (await this.dataSource.query(
        `SELECT *, created_at::text AS position FROM ledger_transaction ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY created_at ${direction}, id ${direction} LIMIT $${params.length}`,
        params,
      )) as Array<TransactionRow & { position: string }>;
      yield* rows.map(toTransaction);
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1];
    }
  }

  /** What each account could spend now (balance minus reserved); users without an account have 0. */
  async availableBalances(userIds: readonly string[]): Promise<Map<string, Credits>> {
    const rows = (await this.dataSource.query(
      `SELECT user_id, balance - reserved AS available FROM credit_account WHERE user_id = ANY($1::uuid[])`,
      [userIds],
    )) as Array<{ user_id: string; available: string }>;
    const available = new Map(userIds.map((id) => [id, Credits.ZERO]));
    for (const row of rows) available.set(row.user_id, Credits.fromMillis(row.available));
    return available;
  }
}

function whereClause(filter: TransactionFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.userIds) add('user_id = ANY(?::uuid[])', filter.userIds);
  // Team wallets' own transactions have no user: they are listed by the team wallet's history.
  else where.push('user_id IS NOT NULL');
  if (filter.types?.length) add('type = ANY(?::text[])', filter.types);
  if (filter.from) add('created_at >= ?', filter.from);
  if (filter.to) add('created_at < ?', filter.to);
  return { where, params };
}
