import { Credits } from '@sah/domain';
import { DataSource } from 'typeorm';
import { dailySeries, DailyRollup } from '../daily-rollup';
import { toTransaction, TransactionRow } from './ledger.rows';
import type { LedgerTransaction } from './ledger.types';

/** One UTC day of credits: bought with money, spent on services, and the net change of all balances. */
export interface DailyCredits {
  day: string;
  sold: Credits;
  spent: Credits;
  net: Credits;
}

/** Money received for one credit package over a period, less what was refunded. */
export interface PackageRevenue {
  packageCode: string;
  packageName: string;
  currency: string;
  amountCents: number;
  payments: number;
}

/** 1,000 credits either way: a large transaction. Written into the SQL as the partial index's own bound. */
const LARGE_MILLIS = 1_000_000;
export const LARGE_TRANSACTION = Credits.fromMillis(LARGE_MILLIS);

// Sold and spent as the daily summary mail counts them: purchases in, usage and debits out.
const LEDGER_DAILY: DailyRollup = {
  table: 'ledger_daily_total',
  source: 'ledger_transaction',
  columns: ['sold', 'spent', 'net', 'transactions'],
  aggregates: [
    `coalesce(sum(t.amount) FILTER (WHERE t.type = 'purchase' AND t.amount > 0), 0)`,
    `coalesce(-sum(t.amount) FILTER (WHERE t.type IN ('usage', 'debit') AND t.amount < 0), 0)`,
    `coalesce(sum(t.amount), 0)`,
    `count(t.id)::int`,
  ],
};

/** Business figures of the ledger and payments for the operations dashboard. */
export class CreditFiguresQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** The last `days` UTC days, today included, oldest first (closed days from the daily rollup). */
  async daily(days: number): Promise<DailyCredits[]> {
    const rows = await dailySeries(this.dataSource, LEDGER_DAILY, days);
    return rows.map((row) => ({
      day: row.day,
      sold: Credits.fromMillis(row.sold ?? 0),
      spent: Credits.fromMillis(row.spent ?? 0),
      net: Credits.fromMillis(row.net ?? 0),
    }));
  }

  /** Credits users hold now (reserved ones included): what the hub owes in service. */
  async outstanding(): Promise<Credits> {
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(sum(balance), 0) AS total FROM credit_account WHERE user_id IS NOT NULL`,
    )) as [{ total: string }];
    return Credits.fromMillis(row.total);
  }

  /** Payments received in the last `days` days (by payment time), net of refunds, per package and currency. */
  async revenueByPackage(days: number): Promise<PackageRevenue[]> {
    const rows = (await this.dataSource.query(
      `SELECT package_code, package_name, currency,
              sum(amount_cents - refunded_cents)::bigint AS amount_cents, count(*)::int AS payments
         FROM payment
        WHERE status IN ('paid', 'refunded', 'partially_refunded') AND paid_at >= now() - make_interval(days => $1::int)
        GROUP BY package_code, package_name, currency
        ORDER BY amount_cents DESC, package_code`,
      [days],
    )) as Array<{ package_code: string; package_name: string; currency: string; amount_cents: string; payments: number }>;
    return rows.map((row) => ({
      packageCode: row.package_code,
      packageName: row.package_name,
      currency: row.currency,
      amountCents: Number(row.amount_cents),
      payments: row.payments,
    }));
  }

  /** The newest transactions of at least LARGE_TRANSACTION either way. */
  async largeTransactions(limit: number): Promise<LedgerTransaction[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM ledger_transaction WHERE (amount >= ${LARGE_MILLIS} OR amount <= -${LARGE_MILLIS}) AND user_id IS NOT NULL
        ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit],
    )) as TransactionRow[];
    return rows.map(toTransaction);
  }
}
