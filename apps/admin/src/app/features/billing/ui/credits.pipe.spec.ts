import { formatCredits } from './credits.pipe';

describe('formatCredits', () => {
  it('groups thousands and keeps up to 3 decimals, without trailing zeros', () => {
    expect(formatCredits(1234567.125, 'en-US')).toBe('1,234,567.125');
    expect(formatCredits(10, 'en-US')).toBe('10');
    expect(formatCredits(0.5, 'en-US')).toBe('0.5');
  });

  it('signs ledger amounts, but not zero', () => {
    expect(formatCredits(25, 'en-US', 'signed')).toBe('+25');
    expect(formatCredits(-0.001, 'en-US', 'signed')).toBe('-0.001');
    expect(formatCredits(0, 'en-US', 'signed')).toBe('0');
  });
});
