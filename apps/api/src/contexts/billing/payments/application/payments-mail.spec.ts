import { formatMoney } from './payments-mail';

describe('formatMoney', () => {
  it('shows minor units with the currency’s decimals', () => {
    expect(formatMoney(1000, 'usd')).toBe('10.00 USD');
    expect(formatMoney(60000, 'usd')).toBe('600.00 USD');
    expect(formatMoney(123456789, 'eur')).toBe('1,234,567.89 EUR');
    expect(formatMoney(5, 'usd')).toBe('0.05 USD');
    expect(formatMoney(1000, 'jpy')).toBe('1,000 JPY');
  });
});
