/**
 * How a hold, capture or release commits. `durable` (the default) waits for the WAL flush. `relaxed`
 * does not, for a caller that makes up for its loss in a database crash: its next durable write
 * flushes it too (the WAL is written in order), or a durable record of its own has it written again.
 * The account's row lock is then held for the commit, not for the flush.
 */
export type LedgerCommit = 'durable' | 'relaxed';

/** A ledger function's `SELECT`, committed as asked: relaxed turns synchronous_commit off for its own transaction. */
export function committed(select: string, commit: LedgerCommit = 'durable'): string {
  return commit === 'relaxed' ? `${select} FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed` : select;
}
