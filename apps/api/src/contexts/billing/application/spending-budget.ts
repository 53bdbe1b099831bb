import type { Credits } from '@sah/domain';

/** An API key's monthly credit budget, as its owner set it: what a hold made with the key must stay within. */
export interface SpendingBudget {
  apiKeyId: string;
  monthlyCredits: Credits;
}

/** The budget of the key a caller authenticated with, if it has one. */
export function spendingBudgetOf(principal: { apiKeyId?: string | null; apiKeyMonthlyCreditBudget?: Credits | null }): SpendingBudget | null {
  return principal.apiKeyId && principal.apiKeyMonthlyCreditBudget
    ? { apiKeyId: principal.apiKeyId, monthlyCredits: principal.apiKeyMonthlyCreditBudget }
    : null;
}
