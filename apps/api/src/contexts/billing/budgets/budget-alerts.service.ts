import { Injectable } from '@nestjs/common';
import { Credits, reachedThresholds } from '@sah/domain';
import { BudgetAlertStore, RaisedBudgetAlert } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';

/** An alert as announced: the threshold and the figures (credits) at the moment it was raised. */
export interface BudgetAlertFigures {
  thresholdPercent: number;
  budget: number;
  spent: number;
}

/** One spending budget after a change of its spend: what `BudgetAlerts.check` needs to know. */
export interface BudgetCheck {
  /** `api_key_month`, `team_month`; members' budgets bring their own (lower-case, underscores). */
  kind: string;
  subjectId: string;
  /** The period the spend counts in (`2026-12`, or a day for daily budgets): a new period alerts anew. */
  period: string;
  /** Who is mailed: an API key's owner, a team's managers. */
  recipientUserIds: readonly string[];
  /** How the mail names the budget, e.g. `API key "CI" (sah_AbCd...)`. */
  label: string;
  /** Where the mail sends the recipients to change the budget, under the console (`/admin/account`). */
  settingsPath: string;
  spentBefore: Credits;
  spent: Credits;
  limit: Credits;
  /** The budget's own thresholds (whole percentages); default BUDGET_ALERT_THRESHOLDS. */
  thresholds?: readonly number[];
  /** The outbox event announcing a raised alert: its type and the fields webhooks may pass on. */
  event: { type: string; data: (alert: BudgetAlertFigures) => Record<string, unknown> };
}

/**
 * Budget threshold alerts for every kind of budget, in one call: each configured percentage reached is
 * recorded once per budget and period and announced through the outbox (mail to the recipients,
 * webhook per the event's type). Re-crossings do not alert again, unless the budget was raised above
 * the one alerted at and spend crosses anew. Safe to repeat (at-least-once callers).
 */
@Injectable()
export class BudgetAlerts {
  constructor(
    private readonly store: BudgetAlertStore,
    private readonly config: AppConfig,
  ) {}

  check(input: BudgetCheck): Promise<RaisedBudgetAlert[]> {
    const reached = reachedThresholds(input.thresholds ?? this.config.billing.budgetAlertThresholds, {
      before: input.spentBefore,
      after: input.spent,
      limit: input.limit,
    });
    const { kind, subjectId, period, limit, spent } = input;
    return this.store.raise({ kind, subjectId, period, limit, spent }, reached, (alert) => {
      const figures = { thresholdPercent: alert.thresholdPercent, budget: limit.toNumber(), spent: spent.toNumber() };
      return {
        type: input.event.type,
        payload: {
          ...input.event.data(figures),
          // What the mail needs; webhooks pass on only their event's own fields.
          mail: { recipientUserIds: [...input.recipientUserIds], label: input.label, settingsPath: input.settingsPath, period, ...figures },
        },
      };
    });
  }
}
