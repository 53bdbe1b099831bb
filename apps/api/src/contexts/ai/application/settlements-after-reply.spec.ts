import type { Logger } from 'pino';
import { SettlementsAfterReply } from './settlements-after-reply';

/** A settlement the test ends by hand. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const settled = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { settle: jest.fn(() => settled), open, fail };
}

describe('SettlementsAfterReply', () => {
  const logger = { error: jest.fn() };
  const settlements = () => new SettlementsAfterReply(logger as unknown as Logger);
  beforeEach(() => logger.error.mockReset());

  it('starts a settlement only after the current turn, in which the answer is written', async () => {
    const tracked = settlements();
    const first = gate();
    tracked.run('user:a', {}, first.settle);
    await Promise.resolve();
    expect(first.settle).not.toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.settle).toHaveBeenCalledTimes(1);
    first.open();
    await tracked.idle();
  });

  it("drains a wallet's settlements in flight, not another wallet's nor those started meanwhile", async () => {
    const tracked = settlements();
    expect(await tracked.drain('user:a')).toBe(false);
    const mine = gate();
    const theirs = gate();
    const later = gate();
    tracked.run('user:a', {}, mine.settle);
    tracked.run('user:b', {}, theirs.settle);
    let drained = false;
    const draining = tracked.drain('user:a').then((had) => (drained = had));
    tracked.run('user:a', {}, later.settle);
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    mine.open();
    await draining;
    expect(drained).toBe(true);
    theirs.open();
    later.open();
    await tracked.idle();
    expect(await tracked.drain('user:a')).toBe(false);
  });

  it('logs a failed settlement with its context, and shutdown waits for every one in flight', async () => {
    const tracked = settlements();
    const failing = gate();
    const slow = gate();
    tracked.run('user:a', { hold_id: 'h1' }, failing.settle);
    tracked.run('team:t', { hold_id: 'h2' }, slow.settle);
    let stopped = false;
    const stopping = tracked.beforeApplicationShutdown().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    failing.fail(new Error('database gone'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ hold_id: 'h1', err: expect.any(Error) }), 'settling an AI call after its answer failed');
    expect(stopped).toBe(false);
    slow.open();
    await stopping;
    expect(stopped).toBe(true);
  });
});
