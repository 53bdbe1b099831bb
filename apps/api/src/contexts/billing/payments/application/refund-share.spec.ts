import { Credits } from '@sah/domain';
import { creditsOwed, refundedCredits } from './refund-share';

describe('refund share', () => {
  const hundred = Credits.whole(100);

  it('is proportional to the refunded amount, exactly', () => {
    expect(refundedCredits(hundred, 500, 1000).toString()).toBe('50');
    expect(refundedCredits(hundred, 1, 1000).toString()).toBe('0.1');
  });

  it('rounds down to the milli-credit, and a full refund is all the credits', () => {
    expect(refundedCredits(hundred, 1, 3).toString()).toBe('33.333');
    expect(refundedCredits(hundred, 3, 3).toString()).toBe('100');
    expect(refundedCredits(hundred, 4, 3).toString()).toBe('100');
    expect(refundedCredits(hundred, 0, 3).toString()).toBe('0');
  });

  it('owes only the new part of a cumulative refund, and the steps add up to the whole', () => {
    const steps = [
      creditsOwed(hundred, 0, 1, 3),
      creditsOwed(hundred, 1, 2, 3),
      creditsOwed(hundred, 2, 3, 3),
    ];
    expect(steps.map((step) => step.toString())).toEqual(['33.333', '33.333', '33.334']);
    expect(steps.reduce((sum, step) => sum.plus(step), Credits.ZERO).toString()).toBe('100');
  });
});
