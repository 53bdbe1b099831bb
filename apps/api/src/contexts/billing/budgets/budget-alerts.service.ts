import { Injectable } from '@nestjs/common';
import { Credits, reachedThresholds } from '@sah/domain';
import { BudgetAlertStore, RaisedBudgetAlert } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';

export const BUDGET_THRESHOLD_EVENT = 'budget.threshold_reached';

/** One spending budget after a change of its spend: what `BudgetAlerts.check` needs to know. */
export interface BudgetCheck {
  /** `api_key_month` today; team wallets and members' budgets bring their own (lower-case, underscores). */
  kind: string;
  subjectId: string;
  /** The period the spend counts in (`2026-12`, or a day for daily budgets): a new period alerts anew. */
  period: string;
  /** Whose webhook endpoints receive the alert (and the default recipient of its mail). */
  ownerUserId: string;
  /** Mailed; default the owner. Team budgets: the team's managers. */
  recipientUserIds?: readonly string[];
  /** How the mail names the budget, e.g. `API key "CI" (sah_AbCd...)`. */
  label: string;
  spentBefore: Credits;
  spent: Credits;
  limit: Credits;
}

/**
 * Budget threshold alerts for every kind of budget, in one call: each configured percentage reached is
 * recorded once per budget and period and announced through the outbox (`budget.threshold_reached`:
 * mail to the recipients, webhook to the owner's endpoints). Re-crossings do not alert again, unless the
 * budget was raised above the one alerted at and spend crosses anew. Safe to repeat (at-least-once callers).
 */
@Injectable()
export class BudgetAlerts {
  constructor(
    private readonly store: BudgetAlertStore,
    private readonly config: AppConfig,
  ) {}

  check(input: BudgetCheck): Promise<RaisedBudgetAlert[]> {
    const reached = reachedThresholds(this.config.billing.budgetAlertThresholds, {
      before: input.spentBefore,
      after: input.spent,
      limit: input.limit,
    });
    const { kind, subjectId, period, limit, spent } = input;
    return this.store.raise({ kind, subjectId, period, limit, spent }, reached, (alert) => ({
      type: BUDGET_THRESHOLD_EVENT,
      payload: {
        userId: input.ownerUserId,
        budgetKind: kind,
        subjectId,
        period,
        thresholdPercent: alert.thresholdPercent,
        budget: limit.toNumber(),
        spent: spent.toNumber(),
        recipientUserIds: [...(input.recipientUserIds ?? [input.ownerUserId])],
        label: input.label,
      },
    }));
  }
}
