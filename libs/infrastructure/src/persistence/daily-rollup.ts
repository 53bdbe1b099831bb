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
  const aggregates = rollup.aggregates.map((sql, i) => `${sql} AS ${rollup.columns[i]}`).join(', ');
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
  if (missing.length === 0) return;
  await dataSource.query(
    `INSERT INTO ${rollup.table} (day, ${rollup.columns.join(', ')})
     SELECT s.day, ${aggregates}
       FROM unnest($1::date[]) AS s (day)
       LEFT JOIN ${rollup.source} t
         ON t.created_at >= s.day::timestamp AT TIME ZONE 'UTC' AND t.created_at < (s.day + 1)::timestamp AT TIME ZONE 'UTC'
      GROUP BY s.day
     ON CONFLICT (day) DO NOTHING`,
    [missing.map((row) => row.day)],
  );
}
