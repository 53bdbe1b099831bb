import { budgetUse } from './team-budget';

describe('budgetUse', () => {
  it('writes spending against a limit as figures and a percentage, high from 80 %', () => {
    expect(budgetUse(3, 10, 'en-US')).toEqual({ percent: 30, text: '3 of 10 credits (30 %)', high: false });
    expect(budgetUse(1234.5, 1500, 'en-US')).toEqual({ percent: 82, text: '1,234.5 of 1,500 credits (82 %)', high: true });
  });

  it('stops the bar at 100 % when spending passed the limit (a limit lowered after the spending)', () => {
    expect(budgetUse(12, 10, 'en-US')).toMatchObject({ percent: 100, text: '12 of 10 credits (100 %)' });
  });

  it('shows the figure alone without a limit', () => {
    expect(budgetUse(0.125, null, 'en-US')).toEqual({ percent: null, text: '0.125 credits, no limit', high: false });
  });
});
