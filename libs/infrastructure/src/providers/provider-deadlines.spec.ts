import { ProviderFailure } from '@sah/domain';
import { withStreamDeadlines } from './provider-deadlines';

const deadlines = { requestTimeoutMs: 1_000, firstByteTimeoutMs: 300, idleTimeoutMs: 200 };

/** A source that yields each item after its delay, and remembers whether it was closed. */
function source(delaysMs: number[]) {
  const state = { closed: false };
  async function* items() {
    try {
      for (const [i, ms] of delaysMs.entries()) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { items: items(), state };
}

async function drain(iterable: AsyncIterable<number>): Promise<{ got: number[]; error?: unknown }> {
  const got: number[] = [];
  try {
    for await (const item of iterable) got.push(item);
    return { got };
  } catch (error) {
    return { got, error };
  }
}

describe('withStreamDeadlines', () => {
  it('passes a stream through that keeps within both deadlines', async () => {
    const cutOff = jest.fn();
    const { got, error } = await drain(withStreamDeadlines(source([10, 10, 10]).items, deadlines, Date.now(), cutOff));
    expect({ got, error }).toEqual({ got: [0, 1, 2], error: undefined });
    expect(cutOff).not.toHaveBeenCalled();
  });

  it('fails a stream whose first event is late, counting from the call start', async () => {
    const cutOff = jest.fn();
    // 150 ms already spent connecting: the first event has 150 ms left, not 300.
    const started = Date.now();
    const { got, error } = await drain(withStreamDeadlines(source([1_000]).items, deadlines, started - 150, cutOff));
    expect(Date.now() - started).toBeLessThan(300);
    expect(got).toEqual([]);
    expect(error).toBeInstanceOf(ProviderFailure);
    expect(error).toMatchObject({ kind: 'timeout', message: 'The provider sent nothing within 300 ms' });
    expect(cutOff).toHaveBeenCalledTimes(1);
  });

  it('fails a stream that goes silent after its first event, keeping what came before', async () => {
    const cutOff = jest.fn();
    const { got, error } = await drain(withStreamDeadlines(source([10, 10, 1_000]).items, deadlines, Date.now(), cutOff));
    expect(got).toEqual([0, 1]);
    expect(error).toMatchObject({ kind: 'timeout', message: 'The provider went silent for 200 ms mid-stream' });
    expect((error as ProviderFailure).retryable).toBe(true);
    expect(cutOff).toHaveBeenCalledTimes(1);
  });

  it('closes the source when the reader stops early', async () => {
    const upstream = source([5, 5, 5]);
    for await (const item of withStreamDeadlines(upstream.items, deadlines, Date.now(), () => undefined)) {
      if (item === 0) break;
    }
    expect(upstream.state.closed).toBe(true);
  });
});
