import { LocalTopics } from './local-topics';

describe('LocalTopics', () => {
  it("gives a listener the values published on its topic from the call on, after `first`, and no other topic's", async () => {
    const topics = new LocalTopics<number>();
    topics.publish('a', 0); // before listening: not seen
    const values = topics.listen('a', 1);
    topics.publish('b', 9);
    topics.publish('a', 2);
    topics.publish('a', 3);
    expect([await values.next(), await values.next(), await values.next()].map((result) => result.value)).toEqual([1, 2, 3]);
    await values.return?.();
  });

  it('ends a waiting next() at once when closed, even right after the first call', async () => {
    const topics = new LocalTopics<number>();
    const values = topics.listen('a');
    const waiting = values.next();
    await values.return?.();
    // Were the wait not ended, this would hang until the next publication (never, here) and time out.
    expect(await waiting).toEqual({ value: undefined, done: true });
    topics.publish('a', 1);
    expect(await values.next()).toEqual({ value: undefined, done: true });
  });
});
