import { Credits, ReachedThreshold } from '@sah/domain';
import { DataSource } from 'typeorm';
import { inTransaction } from './sql-transaction';

/** A spending budget at one moment of one period, as `BudgetAlertStore.raise` records it. */
export interface BudgetAlertSubject {
  /** What kind of budget (`api_key_month`, later `team_wallet_month`, `member_day`…): lower-case, underscores. */
  kind: string;
  subjectId: string;
  /** The budget's period as the caller names it (`2026-12`, `2026-12-05`): a new period alerts anew. */
  period: string;
  limit: Credits;
  spent: Credits;
}

export interface RaisedBudgetAlert {
  thresholdPercent: number;
  /** 1 the first time in the period; more after raises of the budget that let spend cross it again. */
  timesRaised: number;
}

/**
 * Records which thresholds of which budgets were alerted in which period (`budget_alert`) and writes the
 * alert's outbox event in the same transaction, so an alert is announced exactly when it is recorded.
 */
export class BudgetAlertStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Raises each reached threshold not yet alerted this period, and each one spend crossed anew after the
   * budget was raised above the one it was alerted at. Concurrent calls serialise on the unique key:
   * one of them raises, the others see the row. `event` builds the outbox event of each raised alert.
   */
  async raise(
    subject: BudgetAlertSubject,
    reached: readonly ReachedThreshold[],
    event: (alert: RaisedBudgetAlert) => { type: string; payload: Record<string, unknown> },
  ): Promise<RaisedBudgetAlert[]> {
    if (reached.length === 0) return [];
    return inTransaction(this.dataSource, async (tx) => {
      const raised: RaisedBudgetAlert[] = [];
      for (const threshold of reached) {
        const row = await tx.one<{ times_raised: number }>(
          `INSERT INTO budget_alert AS a (budget_kind, subject_id, period, threshold_percent, budget, spent)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (budget_kind, subject_id, period, threshold_percent) DO UPDATE
             SET budget = EXCLUDED.budget, spent = EXCLUDED.spent, raised_at = now(), times_raised = a.times_raised + 1
           WHERE $7::boolean AND a.budget < EXCLUDED.budget
           RETURNING times_raised`,
          [
            subject.kind,
            subject.subjectId,
            subject.period,
            threshold.percent,
            subject.limit.millis.toString(),
            subject.spent.millis.toString(),
            threshold.crossed,
          ],
        );
        if (!row) continue;
        const alert = { thresholdPercent: threshold.percent, timesRaised: row.times_raised };
        const { type, payload } = event(alert);
        await tx.rows(`INSERT INTO outbox_event (type, payload, occurred_at) VALUES ($1, $2::jsonb, now())`, [type, JSON.stringify(payload)]);
        raised.push(alert);
      }
      return raised;
    });
  }
}
