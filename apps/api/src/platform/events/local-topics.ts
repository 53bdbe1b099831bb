import { EventEmitter, on } from 'node:events';

/**
 * In-process publish/subscribe by topic, behind the GraphQL subscriptions. `listen` starts listening
 * at once, so nothing published after the call is missed, and its iterator's return() ends a waiting
 * next() at once and removes the listener. (graphql-subscriptions' PubSub iterator subscribes only on
 * its first next(), and one closed right after that call keeps it waiting, and its listener, until
 * the next publication.)
 */
export class LocalTopics<T> {
  private readonly events = new EventEmitter().setMaxListeners(0); // one listener per subscriber

  publish(topic: string, value: T): void {
    this.events.emit(topic, value);
  }

  /** The topic's values from now on, after `first` when there is one. */
  listen(topic: string, first?: T): AsyncIterableIterator<T> {
    const values = on(this.events, topic) as AsyncIterableIterator<[T]>;
    let pending = first;
    const iterator: AsyncIterableIterator<T> = {
      next: async () => {
        if (pending !== undefined) {
          const value = pending;
          pending = undefined;
          return { value, done: false };
        }
        const next = await values.next();
        return next.done ? { value: undefined, done: true } : { value: next.value[0], done: false };
      },
      return: async () => {
        await values.return?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
