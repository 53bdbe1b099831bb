import { DataSource } from 'typeorm';

/** Today, as a UTC date. */
const TODAY = `(now() AT TIME ZONE 'UTC')::date`;
/**
 * The last UTC day no row can join any more: it ended five minutes ago or more. Rows take their
 * timestamp when inserted (now() or clock_timestamp()), and no transaction writing them stays open
 * that long, so a closed day's figures never change.
 */
const LAST_CLOSED_DAY = `(((now() - interval '5 minutes') AT TIME ZONE 'UTC')::date - 1)`;
/** The first instant not covered by a rollup row. */
const OPEN_FROM = `((${LAST_CLOSED_DAY} + 1)::timestamp AT TIME ZONE 'UTC')`;

/**
 * A per-day rollup of an append-only table with a `created_at` index: closed days are aggregated
 * once into `table` (one row per day, `day date PRIMARY KEY` plus `columns`), the open day(s) are
 * aggregated live. `aggregates` are SQL over the source rows aliased `t`, one per column, in order;
 * they must give the empty day's figures when no row matches (coalesce sums).
 */
export interface DailyRollup {
  table: string;
  source: string;
  columns: readonly string[];
  aggregates: readonly string[];
}

export type DailyRow = { day: string } & Record<string, string | number | null>;

/**
 * The last `days` UTC days, today included, oldest first; days without rows have null figures.
 * Closed days missing from the rollup are rolled up first (once: later calls find them), so a
 * read costs index lookups on the rollup plus the open day's rows, whatever the table's size.
 */
export async function dailySeries(dataSource: DataSource, rollup: DailyRollup, days: number): Promise<DailyRow[]> {
  const aggregates = aggregateList(rollup);
  const window = `generate_series((${TODAY} - ($1::int - 1))::timestamp, ${TODAY}::timestamp, interval '1 day') AS s (day)`;
  await rollUpMissingDays(dataSource, rollup, aggregates, days);
  return (await dataSource.query(
    `SELECT s.day::date::text AS day, ${rollup.columns.map((c) => `coalesce(k.${c}, l.${c}) AS ${c}`).join(', ')}
       FROM ${window}
       LEFT JOIN ${rollup.table} k ON k.day = s.day::date AND k.day <= ${LAST_CLOSED_DAY}
       LEFT JOIN (SELECT (t.created_at AT TIME ZONE 'UTC')::date AS day, ${aggregates}
                    FROM ${rollup.source} t WHERE t.created_at >= ${OPEN_FROM} GROUP BY 1) l ON l.day = s.day::date
      ORDER BY s.day`,
    [days],
  )) as DailyRow[];
}

/**
 * Closed days of the window without a rollup row, aggregated and stored. Usually there are none
 * (one indexed lookup per day, no source row read); after a quiet deploy or a new day, each missing
 * day costs one range scan of the created_at index.
 */
async function rollUpMissingDays(dataSource: DataSource, rollup: DailyRollup, aggregates: string, days: number): Promise<void> {
  const missing = (await dataSource.query(
    `SELECT s.day::date::text AS day
       FROM generate_series((${TODAY} - ($1::int - 1))::timestamp, ${LAST_CLOSED_DAY}::timestamp, interval '1 day') AS s (day)
      WHERE NOT EXISTS (SELECT 1 FROM ${rollup.table} r WHERE r.day = s.day::date)`,
    [days],
  )) as Array<{ day: string }>;
  await insertRollups(dataSource, rollup, aggregates, missing.map((row) => row.day));
}

/**
 * Before source rows are deleted (retention): rolls up every closed day that still has rows before
 * `before` and no rollup row, so the figures of a day nobody has read yet survive its rows. Returns
 * the instant before which rows may go: `before`, or the start of the open day(s) if that is earlier.
 */
export async function rollUpDaysBefore(dataSource: DataSource, rollup: DailyRollup, before: Date): Promise<Date> {
  const [{ until }] = (await dataSource.query(`SELECT least($1::timestamptz, ${OPEN_FROM}) AS until`, [before])) as Array<{ until: Date }>;
  const missing = (await dataSource.query(
    `SELECT s.day::date::text AS day
       FROM (SELECT min(created_at) AS first FROM ${rollup.source}) m,
            generate_series((m.first AT TIME ZONE 'UTC')::date::timestamp,
                            ((($1::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC')::date)::timestamp,
                            interval '1 day') AS s (day)
      WHERE NOT EXISTS (SELECT 1 FROM ${rollup.table} r WHERE r.day = s.day::date)`,
    [until],
  )) as Array<{ day: string }>;
  // A month at a time: a first purge of a long backlog does not aggregate years in one statement.
  for (let i = 0; i < missing.length; i += 31)
    await insertRollups(dataSource, rollup, aggregateList(rollup), missing.slice(i, i + 31).map((row) => row.day));
  return until;
}

const aggregateList = (rollup: DailyRollup) => rollup.aggregates.map((sql, i) => `${sql} AS ${rollup.columns[i]}`).join(', ');

async function insertRollups(dataSource: DataSource, rollup: DailyRollup, aggregates: string, days: string[]): Promise<void> {
  if (days.length === 0) return;
  await dataSource.query(
    `INSERT INTO ${rollup.table} (day, ${rollup.columns.join(', ')})
     SELECT s.day, ${aggregates}
       FROM unnest($1::date[]) AS s (day)
       LEFT JOIN ${rollup.source} t
         ON t.created_at >= s.day::timestamp AT TIME ZONE 'UTC' AND t.created_at < (s.day + 1)::timestamp AT TIME ZONE 'UTC'
      GROUP BY s.day
     ON CONFLICT (day) DO NOTHING`,
    [days],
  );
}
