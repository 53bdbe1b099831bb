/**
 * How a write commits. `durable` (the default) waits for the WAL flush. `relaxed` does not, for a
 * write whose loss in a database crash its caller makes up for: its next durable write flushes it too
 * (the WAL is written in order), a durable record of its own has it written again, or the loss only
 * leaves work uncharged (an AI call whose hold is lost is recorded HOLD_LOST). A row lock the write took
 * is then held for the commit, not for the flush.
 */
export type CommitMode = 'durable' | 'relaxed';

/** One row turning synchronous_commit off for the statement's own transaction: joined in (FROM or a CTE), so it runs. */
export const RELAXED_COMMIT = `SELECT set_config('synchronous_commit', 'off', true)`;

/** A single `SELECT` of a function, committed as asked. */
export function committed(select: string, commit: CommitMode = 'durable'): string {
  return commit === 'relaxed' ? `${select} FROM (${RELAXED_COMMIT}) AS relaxed` : select;
}
