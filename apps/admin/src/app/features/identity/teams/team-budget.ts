import { formatCredits } from '../../billing/ui/credits.pipe';

/** Spending against a limit as a budget bar shows it: the bar's value, its words, and whether it is nearly used up. */
export interface BudgetUse {
  /** 0–100, for the bar; null without a limit (no bar, the figure alone). */
  readonly percent: number | null;
  /** The figures in words: "12 of 30 credits (40 %)", or "12 credits, no limit". */
  readonly text: string;
  /** 80 % or more: the bar turns to the error colour. */
  readonly high: boolean;
}

/** Spending of `used` credits against `limit` (null: none), written in `locale`. */
export function budgetUse(used: number, limit: number | null, locale: string): BudgetUse {
  const spent = formatCredits(used, locale);
  if (limit === null) return { percent: null, text: `${spent} credits, no limit`, high: false };
  const percent = limit > 0 ? Math.min(100, Math.round((used / limit) * 100)) : 100;
  return { percent, text: `${spent} of ${formatCredits(limit, locale)} credits (${percent} %)`, high: percent >= 80 };
}
