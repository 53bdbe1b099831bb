import { Histogram, LabelValues, MetricObjectWithValues, MetricValueWithName, Registry } from 'prom-client';

/** One label set of a histogram read elsewhere: how many observations fell in each bucket. */
export interface HistogramCounts<T extends string> {
  labels: LabelValues<T>;
  /** Per bucket, not cumulative: `perBucket[i]` observations were ≤ `buckets[i]` and above the bucket before; the last entry is above every bound. */
  perBucket: number[];
  sum: number;
}

/**
 * A histogram whose figures are read at scrape time (from the database) instead of observed in this
 * process. prom-client cannot set a histogram's buckets, so this one answers its own samples: the
 * registry reads a histogram through `getForPromString` (text) and `get` (JSON).
 */
export class ReadHistogram<T extends string> extends Histogram<T> {
  constructor(
    private readonly spec: { name: string; help: string; labelNames: readonly T[]; buckets: number[]; registers: Registry[] },
    private readonly read: () => Promise<Array<HistogramCounts<T>> | undefined>,
  ) {
    super({ name: spec.name, help: spec.help, labelNames: spec.labelNames, buckets: spec.buckets, registers: spec.registers });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    const values: Array<{ metricName: string; labels: object; value: number }> = [];
    for (const { labels, perBucket, sum } of (await this.read()) ?? []) {
      let below = 0;
      this.spec.buckets.forEach((le, i) => {
        below += perBucket[i] ?? 0;
        values.push({ metricName: `${this.spec.name}_bucket`, labels: { ...labels, le }, value: below });
      });
      const count = perBucket.reduce((total, n) => total + n, 0);
      values.push({ metricName: `${this.spec.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count });
      values.push({ metricName: `${this.spec.name}_sum`, labels, value: sum });
      values.push({ metricName: `${this.spec.name}_count`, labels, value: count });
    }
    // The typings name `type` an enum and `le` no label of T; the registry reads these plain values.
    const metric = { name: this.spec.name, help: this.spec.help, type: 'histogram', aggregator: 'sum', values };
    return metric as unknown as MetricObjectWithValues<MetricValueWithName<T>>;
  }

  getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    return this.get();
  }
}
