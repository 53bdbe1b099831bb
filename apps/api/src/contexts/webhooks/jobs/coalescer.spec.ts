import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('runs the calls of one turn together, and the calls made meanwhile as the next batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      batches.push(inputs);
      if (batches.length === 1) await gate;
      return inputs.map((input) => input * 10);
    });
    const first = [1, 2, 3].map((n) => coalescer.call(n));
    await new Promise((resolve) => setImmediate(resolve));
    const second = [4, 5].map((n) => coalescer.call(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3]]);
    release();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('splits batches at the maximum size', async () => {
    const sizes: number[] = [];
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      sizes.push(inputs.length);
      return inputs;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => coalescer.call(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('retries a failed batch one call at a time: only the bad input fails', async () => {
    const coalescer = new Coalescer<number, number>(async (inputs) => {
      if (inputs.includes(13)) throw new Error('unlucky');
      return inputs;
    });
    const results = await Promise.allSettled([12, 13, 14].map((n) => coalescer.call(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 12 },
      { status: 'rejected', reason: new Error('unlucky') },
      { status: 'fulfilled', value: 14 },
    ]);
  });
});
