import { daysUntilEmpty } from '../billing/usage-forecast';
import { Credits } from './credits';

describe('Credits', () => {
  it.each([
    ['12', 12_000n],
    ['0.5', 500n],
    ['1.125', 1_125n],
    [0.1, 100n],
    [7, 7_000n],
    ['  3.25 ', 3_250n],
  ])('parses %p exactly as integer milli-credits', (input, millis) => {
    expect(Credits.parse(input).millis).toBe(millis);
  });

  it.each([['1.0005'], ['-1'], ['1e3'], [''], ['abc'], [1e21], [Number.NaN], [null], [undefined], [{}]])('refuses %p', (input) => {
    expect(() => Credits.parse(input)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('takes a sign only when asked, and a positive amount when that is required', () => {
    expect(Credits.parse('-2.5', 'amount', { allowNegative: true }).millis).toBe(-2_500n);
    expect(() => Credits.parsePositive('0', 'cost')).toThrow('cost must be greater than zero');
  });

  it('adds up without floating point and prints the shortest exact decimal', () => {
    const sum = Credits.parse('0.1').plus(Credits.parse('0.2'));
    expect(sum.toString()).toBe('0.3');
    expect(sum.toNumber()).toBe(0.3);
    expect(Credits.fromMillis(-125n).toString()).toBe('-0.125');
    expect(Credits.whole(10).minus(Credits.parse('0.001')).toString()).toBe('9.999');
    expect(Credits.fromMillis('9007199254740993').toString()).toBe('9007199254740.993');
  });
});

describe('usage forecast', () => {
  it('divides what is left by the daily rate of the window, to a tenth of a day', () => {
    expect(daysUntilEmpty(60_000n, 30_000n, 30)).toBe(60);
    expect(daysUntilEmpty(1_000n, 3_000n, 30)).toBe(10);
    expect(daysUntilEmpty(0n, 3_000n, 30)).toBe(0);
    expect(daysUntilEmpty(5_000n, 0n, 30)).toBeNull();
  });
});
