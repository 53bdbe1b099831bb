import { requestCapPeriod } from './request-cap-period';

describe('requestCapPeriod', () => {
  const now = new Date('2026-12-05T13:00:00Z');

  it('is the paid period while it covers now', () => {
    const paid = { start: new Date('2026-11-20T08:00:00Z'), end: new Date('2026-12-20T08:00:00Z') };
    expect(requestCapPeriod(paid, now)).toEqual(paid);
  });

  it('is the calendar month in UTC without a subscription', () => {
    expect(requestCapPeriod(null, now)).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
  });

  it('falls back to the calendar month when the paid period has ended or is unknown', () => {
    const ended = { start: new Date('2026-10-20T08:00:00Z'), end: new Date('2026-11-20T08:00:00Z') };
    expect(requestCapPeriod(ended, now).start).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(requestCapPeriod({ start: null, end: null }, now).end).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('counts the end as the next period', () => {
    const paid = { start: new Date('2026-11-05T13:00:00Z'), end: now };
    expect(requestCapPeriod(paid, now).start).toEqual(new Date('2026-12-01T00:00:00Z'));
  });
});
