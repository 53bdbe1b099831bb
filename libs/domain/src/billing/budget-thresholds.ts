import type { Credits } from '../shared/credits';

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
