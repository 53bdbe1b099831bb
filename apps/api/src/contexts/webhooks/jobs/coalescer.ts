/**
 * Group commit for the attempts in flight: calls made while one batch is on its way wait and go
 * together in the next, so N concurrent attempts cost a few round trips instead of N. A failing
 * batch is run again one call at a time, so one bad input fails only its own caller.
 */
export class Coalescer<In, Out> {
  private waiting: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
  private busy = false;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 100,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.busy || this.waiting.length === 0) return;
    this.busy = true;
    // Let the calls of this turn of the event loop join the batch.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.waiting.splice(0, this.maxBatch);
    try {
      const outs = await this.run(batch.map((call) => call.input));
      batch.forEach((call, index) => call.resolve(outs[index] as Out));
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      else
        await Promise.all(
          batch.map((call) =>
            this.run([call.input]).then(
              ([out]) => call.resolve(out as Out),
              (single: unknown) => call.reject(single),
            ),
          ),
        );
    } finally {
      this.busy = false;
      this.next();
    }
  }
}
