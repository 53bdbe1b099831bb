import { parseEnvironment } from './environment';

describe('PLAN_GRACE_PERIOD_DAYS', () => {
  it('gives a failed payment 7 days by default and reads another figure', () => {
    expect(parseEnvironment({}).stripe.planGraceDays).toBe(7);
    expect(parseEnvironment({ PLAN_GRACE_PERIOD_DAYS: '0' }).stripe.planGraceDays).toBe(0);
    expect(parseEnvironment({ PLAN_GRACE_PERIOD_DAYS: '30' }).stripe.planGraceDays).toBe(30);
  });

  it.each(['-1', '91', 'a week', '1.5'])('refuses %s at start, naming the setting', (value) => {
    expect(() => parseEnvironment({ PLAN_GRACE_PERIOD_DAYS: value })).toThrow(/PLAN_GRACE_PERIOD_DAYS/);
  });
});
