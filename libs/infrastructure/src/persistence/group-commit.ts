import DataLoader from 'dataloader';

/** Two batches of a kind out at once (the pool keeps connections for everything else), 100 writes each. */
const DEFAULT_BATCHES = { inFlight: 2, maxBatch: 100 };

/** Writes one batch: a result (or the item's own error) per item, in the batch's order. */
export type BatchWrite<Item, Result> = (batch: readonly Item[]) => Promise<Array<Result | Error>>;

/**
 * Group commit: writes that arrive together go to the database in one statement. A batch leaves on the
 * next tick after its first write was queued when fewer than `inFlight` batches are out, else as soon as
 * one comes back, taking everything queued meanwhile: a lone write waits for nothing, and under load
 * each round trip carries many writes (one statement, one commit, one network write for all).
 *
 * A batch whose statement fails is written again item by item, so a write that cannot be written fails
 * alone and the others are not lost with it.
 */
export function groupCommit<Item, Result>(
  write: BatchWrite<Item, Result>,
  options: { inFlight: number; maxBatch: number } = DEFAULT_BATCHES,
): (item: Item) => Promise<Result> {
  let out = 0;
  const queued: Array<() => void> = [];
  const send = (dispatch: () => void) => {
    out += 1;
    dispatch();
  };
  const loader = new DataLoader<Item, Result>(
    async (batch) => {
      try {
        return await write(batch).catch((error: unknown) =>
          batch.length > 1 ? alone(write, batch) : Promise.reject(error),
        );
      } finally {
        out -= 1;
        const next = queued.shift();
        if (next) next();
      }
    },
    {
      cache: false,
      maxBatchSize: options.maxBatch,
      batchScheduleFn: (dispatch) =>
        process.nextTick(() => (out < options.inFlight ? send(dispatch) : queued.push(() => send(dispatch)))),
    },
  );
  return (item) => loader.load(item);
}

function alone<Item, Result>(
  write: BatchWrite<Item, Result>,
  batch: readonly Item[],
): Promise<Array<Result | Error>> {
  return Promise.all(
    batch.map((item) =>
      write([item]).then(
        ([result]) => result ?? new Error('a batch write answered no result'),
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
    ),
  );
}
