import { FormControl } from '@angular/forms';

import { alertsSummary, parseThresholds, thresholdsText, thresholdsValidator } from './budget-alert-thresholds';

describe('budget alert thresholds', () => {
  it('reads whole percentages separated by commas or spaces, sorted, an empty list being no alerts', () => {
    expect(parseThresholds('80, 50 100%')).toEqual({ thresholds: [50, 80, 100] });
    expect(parseThresholds(' 1 ')).toEqual({ thresholds: [1] });
    expect(parseThresholds('')).toEqual({ thresholds: [] });
  });

  it('refuses what the API would: not whole, outside 1–100, repeated, more than ten', () => {
    expect(parseThresholds('50, 80.5')).toEqual({ problem: 'not-whole' });
    expect(parseThresholds('fifty')).toEqual({ problem: 'not-whole' });
    expect(parseThresholds('-5')).toEqual({ problem: 'not-whole' });
    expect(parseThresholds('0, 50')).toEqual({ problem: 'out-of-range' });
    expect(parseThresholds('50, 101')).toEqual({ problem: 'out-of-range' });
    expect(parseThresholds('50, 80, 50')).toEqual({ problem: 'repeated' });
    expect(parseThresholds('10 20 30 40 50 60 70 80 90 100')).toEqual({ thresholds: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] });
    expect(parseThresholds('5 10 20 30 40 50 60 70 80 90 100')).toEqual({ problem: 'too-many' });
  });

  it('gives a form field the problem as its error', () => {
    expect(new FormControl('50, 80', thresholdsValidator()).errors).toBeNull();
    expect(new FormControl('50, 50', thresholdsValidator()).errors).toEqual({ thresholds: 'repeated' });
  });

  it('writes a list in words', () => {
    expect(thresholdsText([50, 80, 100])).toBe('50 %, 80 % and 100 %');
    expect(thresholdsText([90])).toBe('90 %');
    expect(thresholdsText([])).toBe('none');
    expect(alertsSummary([50, 80, 100], false)).toBe('Alerts at 50 %, 80 % and 100 % of the cap (the default)');
    expect(alertsSummary([90], true)).toBe('Alerts at 90 % of the cap');
    expect(alertsSummary([], true)).toBe('No budget alerts');
  });
});
