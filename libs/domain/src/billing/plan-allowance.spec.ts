import { Credits } from '../shared/credits';
import { allowanceForLine } from './plan-allowance';

describe('allowanceForLine', () => {
  const pro = Credits.whole(750);

  it('grants the whole allowance for a full month', () => {
    expect(allowanceForLine(pro, { amountCents: 4900, unitAmountDecimal: '4900', quantity: 1 }).toString()).toBe('750');
  });

  it('grants the share Stripe billed for a proration, rounded down to the milli-credit', () => {
    // 1/3 of a $49.00 month billed: 1633 cents.
    expect(allowanceForLine(pro, { amountCents: 1633, unitAmountDecimal: '4900', quantity: 1 }).millis).toBe(249948n);
    expect(allowanceForLine(pro, { amountCents: 2450, unitAmountDecimal: '4900.0', quantity: 1 }).toString()).toBe('375');
  });

  it('counts the quantity and never grants more than the allowance', () => {
    expect(allowanceForLine(pro, { amountCents: 4900, unitAmountDecimal: '4900', quantity: 2 }).toString()).toBe('375');
    expect(allowanceForLine(pro, { amountCents: 9800, unitAmountDecimal: '4900', quantity: 1 }).toString()).toBe('750');
  });

  it('grants nothing for credited-back time or an empty allowance', () => {
    expect(allowanceForLine(pro, { amountCents: -1633, unitAmountDecimal: '4900', quantity: 1 })).toBe(Credits.ZERO);
    expect(allowanceForLine(pro, { amountCents: 0, unitAmountDecimal: '4900', quantity: 1 })).toBe(Credits.ZERO);
    expect(allowanceForLine(Credits.ZERO, { amountCents: 4900, unitAmountDecimal: '4900', quantity: 1 })).toBe(Credits.ZERO);
  });

  it('falls back to the whole allowance when Stripe gives no unit amount', () => {
    expect(allowanceForLine(pro, { amountCents: 4900, unitAmountDecimal: null, quantity: 1 }).toString()).toBe('750');
  });
});
