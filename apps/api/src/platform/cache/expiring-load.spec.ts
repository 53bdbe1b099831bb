import { ExpiringLoad } from './expiring-load';

describe('ExpiringLoad', () => {
  afterEach(() => jest.useRealTimers());

  it('loads once while fresh, again once older than its ttl or invalidated', async () => {
    jest.useFakeTimers({ now: 0 });
    let loads = 0;
    const value = new ExpiringLoad(async () => (loads += 1), 1_000);
    await expect(Promise.all([value.get(), value.get()])).resolves.toEqual([1, 1]);
    jest.setSystemTime(1_000);
    await expect(value.get()).resolves.toBe(1);
    jest.setSystemTime(1_001);
    await expect(value.get()).resolves.toBe(2);
    value.invalidate();
    await expect(value.get()).resolves.toBe(3);
  });

  it('forgets a failed load, so the next read tries again', async () => {
    let fail = true;
    const value = new ExpiringLoad(async () => {
      if (fail) throw new Error('database down');
      return 'loaded';
    }, 60_000);
    await expect(value.get()).rejects.toThrow('database down');
    fail = false;
    await expect(value.get()).resolves.toBe('loaded');
  });

  it('does not forget a newer load when an older one fails late', async () => {
    let rejectFirst: (error: Error) => void = () => undefined;
    let loads = 0;
    const value = new ExpiringLoad(() => {
      loads += 1;
      return loads === 1
        ? new Promise<number>((_, reject) => (rejectFirst = reject))
        : Promise.resolve(loads);
    }, 60_000);
    const first = value.get();
    value.invalidate();
    await expect(value.get()).resolves.toBe(2);
    rejectFirst(new Error('late failure'));
    await expect(first).rejects.toThrow('late failure');
    await expect(value.get()).resolves.toBe(2);
    expect(loads).toBe(2);
  });
});
