import type { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';

/** How many alert thresholds one budget may have: enough for any sensible ladder, few enough to mail. */
export const MAX_ALERT_THRESHOLDS = 10;

/** A spending budget's change: what it had spent before and after, against its limit now. */
export interface BudgetReading {
  before: Credits;
  after: Credits;
  limit: Credits;
}

export interface ReachedThreshold {
  percent: number;
  /** Spend passed it in this change (it was below before): a raise of the limit that had brought spend back under it is over. */
  crossed: boolean;
}

/**
 * The alert thresholds (whole percentages) the spend has reached, exactly (integer milli-credits, no
 * floating point). A threshold reached but not crossed in this change still counts: it is alerted if
 * it never was this period (a limit lowered under the spend, say).
 */
export function reachedThresholds(thresholds: readonly number[], reading: BudgetReading): ReachedThreshold[] {
  if (!reading.limit.isPositive()) return [];
  const reaches = (spend: Credits, percent: number) => spend.millis * 100n >= reading.limit.millis * BigInt(percent);
  return thresholds
    .filter((percent) => reaches(reading.after, percent))
    .map((percent) => ({ percent, crossed: !reaches(reading.before, percent) }));
}

/**
 * A budget's own alert thresholds as a manager gives them: whole percentages from 1 to 100, at most
 * MAX_ALERT_THRESHOLDS, returned sorted without repeats. An empty list is valid: no alerts.
 */
export function alertThresholds(percentages: readonly number[]): number[] {
  if (percentages.length > MAX_ALERT_THRESHOLDS) {
    throw DomainError.badInput(`At most ${MAX_ALERT_THRESHOLDS} alert thresholds`, { field: 'thresholds' });
  }
  const invalid = percentages.find((percent) => !Number.isInteger(percent) || percent < 1 || percent > 100);
  if (invalid !== undefined) {
    throw DomainError.badInput('Alert thresholds are whole percentages from 1 to 100', { field: 'thresholds', value: invalid });
  }
  return [...new Set(percentages)].sort((a, b) => a - b);
}
