import { DataSource } from 'typeorm';
import { eventually } from './test-app';

export interface RaisedAlert {
  period: string;
  percent: number;
  times: number;
}

/**
 * Waits until the relay has handled every outbox event whose type matches `typePattern` (SQL LIKE):
 * a threshold not alerted by then never will be.
 */
export async function budgetEventsSettled(db: DataSource, typePattern: string, timeoutMs: number): Promise<number> {
  return eventually(
    async () =>
      Number(
        ((await db.query(`SELECT count(*) FROM outbox_event WHERE type LIKE $1 AND published_at IS NULL`, [typePattern])) as { count: string }[])[0]
          .count,
      ),
    (count) => count === 0,
    timeoutMs,
  );
}

/** The alerts recorded for one budget (`api_key_month` of a key, `team_month` of a team), by period and threshold. */
export async function alertsRaised(db: DataSource, kind: 'api_key_month' | 'team_month', subjectId: string): Promise<RaisedAlert[]> {
  return (await db.query(
    `SELECT period, threshold_percent AS percent, times_raised AS times FROM budget_alert
      WHERE budget_kind = $1 AND subject_id = $2 ORDER BY period, threshold_percent`,
    [kind, subjectId],
  )) as RaisedAlert[];
}
