import { groupCommit } from './group-commit';

/** A batch writer whose batches stay out until released, recording what each carried. */
function heldWriter() {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  const write = async (batch: readonly number[]) => {
    batches.push([...batch]);
    await new Promise<void>((resolve) => pending.push(resolve));
    return batch.map((item) => item * 10);
  };
  const releaseNext = () => pending.shift()?.();
  const out = () => pending.length;
  return { batches, write, releaseNext, out };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await turn();
}

describe('groupCommit', () => {
  it('sends a lone write at once, alone', async () => {
    const writer = heldWriter();
    const commit = groupCommit(writer.write, { inFlight: 1, maxBatch: 10 });
    const result = commit(7);
    await until(() => writer.out() === 1);
    expect(writer.batches).toEqual([[7]]);
    writer.releaseNext();
    await expect(result).resolves.toBe(70);
  });

  it('queues writes while the batches allowed are out, then sends them together', async () => {
    const writer = heldWriter();
    const commit = groupCommit(writer.write, { inFlight: 1, maxBatch: 10 });
    const first = commit(1);
    await until(() => writer.out() === 1);
    const later = [commit(2), commit(3)];
    await turn();
    const last = commit(4);
    await turn();
    expect(writer.batches).toEqual([[1]]); // the others wait for the first batch to come back
    writer.releaseNext();
    await until(() => writer.out() === 1);
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    writer.releaseNext();
    await expect(Promise.all([first, ...later, last])).resolves.toEqual([10, 20, 30, 40]);
  });

  it('sends a full batch and starts the next', async () => {
    const writer = heldWriter();
    const commit = groupCommit(writer.write, { inFlight: 2, maxBatch: 2 });
    const results = [1, 2, 3, 4, 5].map((item) => commit(item));
    await until(() => writer.out() === 2);
    expect(writer.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    writer.releaseNext();
    await until(() => writer.batches.length === 3);
    expect(writer.batches[2]).toEqual([5]);
    writer.releaseNext();
    writer.releaseNext();
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30, 40, 50]);
  });

  it('writes a failed batch again item by item, so only the bad write fails', async () => {
    const batches: number[][] = [];
    const commit = groupCommit(
      async (batch: readonly number[]) => {
        batches.push([...batch]);
        if (batch.includes(13)) throw new Error('unlucky');
        return batch.map((item) => item * 10);
      },
      { inFlight: 1, maxBatch: 10 },
    );
    const results = await Promise.allSettled([commit(12), commit(13), commit(14)]);
    expect(batches).toEqual([[12, 13, 14], [12], [13], [14]]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 120 },
      { status: 'rejected', reason: new Error('unlucky') },
      { status: 'fulfilled', value: 140 },
    ]);
  });

  it('answers an item its own error without failing the batch', async () => {
    const commit = groupCommit(
      async (batch: readonly number[]) =>
        batch.map((item) => (item < 0 ? new Error(`negative ${item}`) : item)),
      {
        inFlight: 1,
        maxBatch: 10,
      },
    );
    const results = await Promise.allSettled([commit(1), commit(-2)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: new Error('negative -2') },
    ]);
  });
});
