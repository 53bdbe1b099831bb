import { FormControl } from '@angular/forms';
import { aMonthlySpend } from '../testing/identity-fixtures';
import { budgetUse, monthlyCreditBudgetValidators, rateLimitsLabel, tokensPerMinuteValidators } from './api-key-limits';

const spend = aMonthlySpend;

describe('API key limits', () => {
  it('labels the rate limits a key has, or none', () => {
    expect(rateLimitsLabel({ requestsPerMinute: null, tokensPerMinute: null })).toBe('None');
    expect(rateLimitsLabel({ requestsPerMinute: 1200, tokensPerMinute: null })).toBe('1,200 req/min');
    expect(rateLimitsLabel({ requestsPerMinute: null, tokensPerMinute: 90000 })).toBe('90,000 tokens/min');
  });

  it('counts held credits in the budget’s use, caps the bar at 100 % and flags 80 % and over', () => {
    expect(budgetUse({ monthlyCreditBudget: null, monthlySpend: spend(5, 0) })).toBeNull();
    expect(budgetUse({ monthlyCreditBudget: 100, monthlySpend: spend(0, 0) })).toEqual({ percent: 0, label: '0 of 100 credits', high: false });
    expect(budgetUse({ monthlyCreditBudget: 100, monthlySpend: spend(0.1, 0.2) })).toEqual({
      percent: 0,
      label: '0.3 of 100 credits (0.2 held)',
      high: false,
    });
    expect(budgetUse({ monthlyCreditBudget: 10, monthlySpend: spend(7, 1) })?.high).toBe(true);
    // A budget lowered under what was already spent.
    expect(budgetUse({ monthlyCreditBudget: 10, monthlySpend: spend(25, 0) })).toEqual({ percent: 100, label: '25 of 10 credits', high: true });
  });

  it('accepts whole numbers within the API’s bounds or empty', () => {
    const valid = (validators: typeof tokensPerMinuteValidators, value: number | null) => new FormControl(value, validators).valid;
    expect(valid(tokensPerMinuteValidators, null)).toBe(true);
    expect(valid(tokensPerMinuteValidators, 100_000_000)).toBe(true);
    expect(valid(tokensPerMinuteValidators, 100_000_001)).toBe(false);
    expect(valid(tokensPerMinuteValidators, 0)).toBe(false);
    expect(valid(monthlyCreditBudgetValidators, 1_000_000_000)).toBe(true);
    expect(valid(monthlyCreditBudgetValidators, 1.5)).toBe(false);
    expect(valid(monthlyCreditBudgetValidators, -3)).toBe(false);
  });
});
