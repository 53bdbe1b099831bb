import { Validators, type ValidatorFn } from '@angular/forms';
import type { ApiKey } from '../data-access/identity.types';

/** The API's bounds for a key's own limits (SetApiKeyLimitsInput); empty (null) means none. */
const wholeNumberUpTo = (max: number): ValidatorFn[] => [Validators.min(1), Validators.max(max), Validators.pattern(/^\d+$/)];
export const MAX_TOKENS_PER_MINUTE = 100_000_000;
export const MAX_MONTHLY_CREDIT_BUDGET = 1_000_000_000;
export const tokensPerMinuteValidators = wholeNumberUpTo(MAX_TOKENS_PER_MINUTE);
export const monthlyCreditBudgetValidators = wholeNumberUpTo(MAX_MONTHLY_CREDIT_BUDGET);

const count = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 3 });

/** How the key list shows a key's own rate limits. */
export function rateLimitsLabel(key: Pick<ApiKey, 'requestsPerMinute' | 'tokensPerMinute'>): string {
  const parts = [
    key.requestsPerMinute ? `${count(key.requestsPerMinute)} req/min` : null,
    key.tokensPerMinute ? `${count(key.tokensPerMinute)} tokens/min` : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? parts.join(' · ') : 'None';
}

export interface BudgetUse {
  /** Share of the budget spent or held, 0–100 (the bar's value). */
  percent: number;
  label: string;
  /** Held calls included, at or past 80 %: the bar turns to the warning colour. */
  high: boolean;
}

/**
 * A key's month-to-date use of its monthly budget, as the budget counts it: charged plus held by
 * calls in flight. Null when the key has no budget.
 */
export function budgetUse(key: Pick<ApiKey, 'monthlyCreditBudget' | 'monthlySpend'>): BudgetUse | null {
  const budget = key.monthlyCreditBudget;
  if (!budget) return null;
  const { spent, held } = key.monthlySpend;
  const used = spent + held;
  const percent = Math.min(100, Math.round((used / budget) * 100));
  const heldNote = held > 0 ? ` (${count(held)} held)` : '';
  return { percent, label: `${count(used)} of ${count(budget)} credits${heldNote}`, high: percent >= 80 };
}
