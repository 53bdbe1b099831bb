import type { StatusTone } from '../../../shared/ui/status-chip/status-chip.component';
import type { MyPlan } from '../data-access/plans.types';

/** Where a user's plan stands, as the Plan card tells it. */
export interface PlanStanding {
  readonly label: string;
  readonly tone: StatusTone;
  /** The date that matters now (renewal, end, end of the grace period), ISO; null on Free. */
  readonly until: string | null;
  /** Says what happens at `until`. */
  readonly note: string | null;
  /** A subscription Stripe runs (and that can still be cancelled). */
  readonly cancellable: boolean;
}

/**
 * Free without a running subscription; otherwise active (renewing), past due (the plan ends when
 * the grace period does unless the payment goes through) or cancelled (ends with the paid period).
 */
export function planStanding(mine: MyPlan): PlanStanding {
  const subscription = mine.subscription;
  if (!subscription) return { label: 'Free', tone: 'muted', until: null, note: null, cancellable: false };
  if (subscription.status === 'PAST_DUE') {
    return {
      label: 'Past due',
      tone: 'bad',
      until: mine.graceEndsAt,
      note: 'The last payment failed. Unless it goes through, the plan ends (back to Free) on',
      cancellable: !subscription.cancelAtPeriodEnd,
    };
  }
  if (subscription.cancelAtPeriodEnd) {
    return {
      label: 'Cancelled',
      tone: 'notice',
      until: subscription.currentPeriodEnd,
      note: 'The plan and its credits stay until the paid month ends, then Free, on',
      cancellable: false,
    };
  }
  return {
    label: 'Active',
    tone: 'good',
    until: subscription.currentPeriodEnd,
    note: 'Renews, with a new month of credits, on',
    cancellable: true,
  };
}

/** How much of the allowance is spent, for a progress bar (0–100); null when nothing was granted. */
export function allowancePercent(mine: MyPlan): number | null {
  if (mine.allowanceGranted <= 0) return null;
  return Math.min(100, Math.round((mine.allowanceUsed / mine.allowanceGranted) * 100));
}

/** How much of the plan's monthly request cap is used, for a progress bar (0–100); null without a cap. */
export function requestsPercent(mine: MyPlan): number | null {
  const cap = mine.plan.requestsPerMonth;
  if (cap === null) return null;
  return Math.min(100, Math.round((mine.requestsUsed / cap) * 100));
}
