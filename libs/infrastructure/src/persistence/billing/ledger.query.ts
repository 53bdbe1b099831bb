import { Credits, TransactionType } from '@sah/domain';
import { DataSource } from 'typeorm';
import { AccountRow, HoldRow, toAccountState, toHold, toTransaction, TransactionRow } from './ledger.rows';
import type { AccountState, CreditHold, LedgerTransaction } from './ledger.types';

export interface TransactionFilter {
  /** Only these users' transactions (a manager's team); omitted: everyone's. */
  userIds?: readonly string[];
  types?: readonly TransactionType[];
  from?: Date;
  to?: Date;
}

export interface TransactionPage {
  items: LedgerTransaction[];
  total: number;
}

/** The ledger's read side: balances, history, forecasts. */
export class LedgerQuery {
  constructor(private readonly dataSource: DataSource) {}

  async account(userId: string): Promise<AccountState | null> {
    const rows = (await this.dataSource.query(`SELECT * FROM credit_account WHERE user_id = $1`, [userId])) as AccountRow[];
    return rows[0] ? toAccountState(rows[0]) : null;
  }

  async transaction(id: string): Promise<LedgerTransaction | null> {
    const rows = (await this.dataSource.query(`SELECT * FROM ledger_transaction WHERE id = $1`, [id])) as TransactionRow[];
    return rows[0] ? toTransaction(rows[0]) : null;
  }

  async hold(id: string): Promise<CreditHold | null> {
    const rows = (await this.dataSource.query(`SELECT * FROM credit_hold WHERE id = $1`, [id])) as HoldRow[];
    return rows[0] ? toHold(rows[0]) : null;
  }

  /** Newest first. */
  async transactions(filter: TransactionFilter, page: { offset: number; limit: number }): Promise<TransactionPage> {
    const { where, params } = whereClause(filter);
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM ledger_transaction ${where} ORDER BY created_at DESC, id DESC
          OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
        [...params, page.offset, page.limit],
      ) as Promise<TransactionRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM ledger_transaction ${where}`, params) as Promise<
        Array<{ total: number }>
      >,
    ]);
    return { items: rows.map(toTransaction), total: count[0]?.total ?? 0 };
  }

  /** Streams every matching transaction in pages, newest first, for exports. */
  async *allTransactions(filter: TransactionFilter, batchSize = 1000): AsyncGenerator<LedgerTransaction> {
    for (let offset = 0; ; offset += batchSize) {
      const { items } = await this.transactions(filter, { offset, limit: batchSize });
      yield* items;
      if (items.length < batchSize) return;
    }
  }

  /** What the user spent (net of refunds) since `since`. */
  async spentSince(userId: string, since: Date): Promise<Credits> {
    const rows = (await this.dataSource.query(
      `SELECT coalesce(-sum(amount), 0) AS spent FROM ledger_transaction
        WHERE user_id = $1 AND created_at >= $2 AND type IN ('debit', 'usage', 'refund')`,
      [userId, since],
    )) as Array<{ spent: string }>;
    return Credits.fromMillis(rows[0]?.spent ?? 0);
  }
}

function whereClause(filter: TransactionFilter): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.userIds) add('user_id = ANY(?::uuid[])', filter.userIds);
  // Team wallets' own transactions have no user: they are listed by the team wallet's history.
  else conditions.push('user_id IS NOT NULL');
  if (filter.types?.length) add('type = ANY(?::text[])', filter.types);
  if (filter.from) add('created_at >= ?', filter.from);
  if (filter.to) add('created_at < ?', filter.to);
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
