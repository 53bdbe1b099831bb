import { DataSource } from 'typeorm';

/** Who an account belongs to, as the reports name it. */
const OWNER = `CASE WHEN a.team_id IS NOT NULL THEN 'team ' || a.team_id ELSE 'user ' || a.user_id END AS owner`;

export interface LedgerReport {
  ok: boolean;
  accounts: number;
  transactions: number;
  entries: number;
  /** Sum of every entry ever posted, in milli-credits: zero when the books balance. */
  booksTotal: string;
  problems: string[];
}

/**
 * Proves the ledger from its entries: every transaction balances, the books sum to zero, and each
 * user and team account's stored balance, reservation and expiring credits equal what the entries, holds and
 * lots say. Runs in one REPEATABLE READ snapshot so concurrent writes cannot produce false alarms.
 */
export async function verifyLedger(dataSource: DataSource): Promise<LedgerReport> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const problems: string[] = [];
    const report = async (sql: string, describe: (row: Record<string, string>) => string) => {
      const rows = (await runner.query(sql)) as Array<Record<string, string>>;
      problems.push(...rows.map(describe));
    };

    await report(
      `SELECT transaction_id, sum(amount) AS total FROM ledger_entry GROUP BY transaction_id HAVING sum(amount) <> 0 LIMIT 100`,
      (r) => `transaction ${r.transaction_id} does not balance (entries sum to ${r.total})`,
    );
    await report(
      `SELECT t.id FROM ledger_transaction t WHERE NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.transaction_id = t.id) LIMIT 100`,
      (r) => `transaction ${r.id} has no entries`,
    );
    await report(
      `SELECT t.id, t.amount, e.amount AS entry FROM ledger_transaction t
         JOIN credit_account a ON a.user_id = t.user_id
         LEFT JOIN ledger_entry e ON e.transaction_id = t.id AND e.account_id = a.id
        WHERE e.amount IS DISTINCT FROM t.amount LIMIT 100`,
      (r) => `transaction ${r.id} says ${r.amount} but its user entry is ${r.entry ?? 'missing'}`,
    );
    // A team wallet's own transactions (no user side) state the team's entry; a transfer's team entry
    // is what its user gave.
    await report(
      `SELECT t.id, t.amount, e.amount AS entry FROM ledger_transaction t
         JOIN credit_account a ON a.team_id = t.team_id
         LEFT JOIN ledger_entry e ON e.transaction_id = t.id AND e.account_id = a.id
        WHERE t.team_id IS NOT NULL AND e.amount IS DISTINCT FROM CASE WHEN t.user_id IS NULL THEN t.amount ELSE -t.amount END LIMIT 100`,
      (r) => `transaction ${r.id} says ${r.amount} but its team entry is ${r.entry ?? 'missing'}`,
    );
    // User and team accounts keep running totals; system accounts do not.
    await report(
      `SELECT ${OWNER}, a.balance, coalesce(sum(e.amount), 0) AS entries FROM credit_account a
         LEFT JOIN ledger_entry e ON e.account_id = a.id
        WHERE a.code IS NULL GROUP BY a.id HAVING a.balance <> coalesce(sum(e.amount), 0) LIMIT 100`,
      (r) => `account of ${r.owner}: balance ${r.balance} but entries sum to ${r.entries}`,
    );
    await report(
      `SELECT ${OWNER}, a.reserved, coalesce(sum(h.amount), 0) AS held FROM credit_account a
         LEFT JOIN credit_hold h ON h.account_id = a.id AND h.status = 'active'
        WHERE a.code IS NULL GROUP BY a.id HAVING a.reserved <> coalesce(sum(h.amount), 0) LIMIT 100`,
      (r) => `account of ${r.owner}: reserved ${r.reserved} but active holds total ${r.held}`,
    );
    await report(
      `SELECT ${OWNER}, a.expiring, coalesce(sum(l.remaining), 0) AS lots FROM credit_account a
         LEFT JOIN credit_lot l ON l.account_id = a.id
        WHERE a.code IS NULL GROUP BY a.id HAVING a.expiring <> coalesce(sum(l.remaining), 0) LIMIT 100`,
      (r) => `account of ${r.owner}: expiring ${r.expiring} but its lots hold ${r.lots}`,
    );
    await report(
      `SELECT ${OWNER}, balance, reserved FROM credit_account a WHERE balance < 0 OR reserved < 0 OR reserved > balance LIMIT 100`,
      (r) => `account of ${r.owner} is negative (balance ${r.balance}, reserved ${r.reserved})`,
    );
    const [totals] = (await runner.query(
      `SELECT (SELECT count(*) FROM credit_account) AS accounts, (SELECT count(*) FROM ledger_transaction) AS transactions,
              (SELECT count(*) FROM ledger_entry) AS entries, (SELECT coalesce(sum(amount), 0) FROM ledger_entry) AS books`,
    )) as [{ accounts: string; transactions: string; entries: string; books: string }];
    if (totals.books !== '0') problems.push(`the books do not balance: all entries sum to ${totals.books}`);
    await runner.commitTransaction();
    return {
      ok: problems.length === 0,
      accounts: Number(totals.accounts),
      transactions: Number(totals.transactions),
      entries: Number(totals.entries),
      booksTotal: totals.books,
      problems,
    };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
  }
}
