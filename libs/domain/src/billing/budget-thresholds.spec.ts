import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';
import { alertThresholds, reachedThresholds } from './budget-thresholds';

const c = (credits: string) => Credits.parse(credits);
const THRESHOLDS = [50, 80, 100];

describe('reachedThresholds', () => {
  it('names the thresholds reached, and which this change crossed', () => {
    expect(reachedThresholds(THRESHOLDS, { before: c('0'), after: c('4.999'), limit: c('10') })).toEqual([]);
    expect(reachedThresholds(THRESHOLDS, { before: c('4.999'), after: c('5'), limit: c('10') })).toEqual([{ percent: 50, crossed: true }]);
    expect(reachedThresholds(THRESHOLDS, { before: c('5'), after: c('10'), limit: c('10') })).toEqual([
      { percent: 50, crossed: false },
      { percent: 80, crossed: true },
      { percent: 100, crossed: true },
    ]);
  });

  it('is exact in milli-credits where floating point is not', () => {
    // 0.7 / 1 = 0.7, but 0.1 + 0.6 in floating point is 0.7 minus a little.
    expect(reachedThresholds([70], { before: c('0.1'), after: c('0.7'), limit: c('1') })).toEqual([{ percent: 70, crossed: true }]);
  });

  it('reads the limit as it is now: a raise puts spend back below, a cut above', () => {
    expect(reachedThresholds(THRESHOLDS, { before: c('10'), after: c('13'), limit: c('25') })).toEqual([{ percent: 50, crossed: true }]);
    expect(reachedThresholds(THRESHOLDS, { before: c('6'), after: c('6.5'), limit: c('7') })).toEqual([
      { percent: 50, crossed: false },
      { percent: 80, crossed: false },
    ]);
    expect(reachedThresholds(THRESHOLDS, { before: c('0'), after: c('5'), limit: Credits.ZERO })).toEqual([]);
    expect(reachedThresholds([], { before: c('0'), after: c('5'), limit: c('5') })).toEqual([]);
  });
});

describe('alertThresholds', () => {
  it('sorts and de-duplicates whole percentages; none is allowed', () => {
    expect(alertThresholds([80, 50, 100, 80])).toEqual([50, 80, 100]);
    expect(alertThresholds([])).toEqual([]);
    expect(alertThresholds([1, 100])).toEqual([1, 100]);
  });

  it('refuses fractions, out-of-range values and long lists as bad input', () => {
    for (const bad of [[0], [101], [7.5], [-50], [Number.NaN], Array.from({ length: 11 }, (_, i) => i + 1)]) {
      expect(() => alertThresholds(bad)).toThrow(DomainError);
      try {
        alertThresholds(bad);
      } catch (error) {
        expect((error as DomainError).code).toBe('BAD_USER_INPUT');
      }
    }
  });
});
