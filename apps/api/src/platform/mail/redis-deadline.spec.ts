import { DomainError } from '@sah/domain';
import { withinRedisDeadline } from './redis-deadline';

describe('withinRedisDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('passes an answer given in time through', async () => {
    await expect(withinRedisDeadline(Promise.resolve('ok'), 1_000)).resolves.toBe('ok');
  });

  it('fails a call Redis leaves unanswered with DEPENDENCY_UNAVAILABLE at the deadline, and ignores its late failure', async () => {
    let failLate: (error: Error) => void = () => undefined;
    const silent = new Promise<string>((_, reject) => (failLate = reject));
    const bounded = withinRedisDeadline(silent, 1_000);
    const outcome = expect(bounded).rejects.toEqual(
      expect.objectContaining({ code: 'DEPENDENCY_UNAVAILABLE', details: { dependency: 'redis' } }),
    );
    await jest.advanceTimersByTimeAsync(999);
    let settled = false;
    void bounded.catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await outcome;
    await expect(bounded).rejects.toBeInstanceOf(DomainError);
    failLate(new Error('Connection is closed'));
  });
});
