import { MetricsTime, Worker, WorkerOptions } from 'bullmq';

/**
 * A BullMQ worker that keeps BullMQ's job metrics: Redis counts every job finished (completed, or
 * failed for good) per queue, whichever process ran it, so the API's /metrics can show failures as a
 * counter though workers serve no /metrics. The per-minute history is kept for an hour only.
 */
export class CountingWorker extends Worker {
  constructor(name: string, processor: ConstructorParameters<typeof Worker>[1], opts: WorkerOptions) {
    super(name, processor, { ...opts, metrics: opts.metrics ?? { maxDataPoints: MetricsTime.ONE_HOUR } });
  }
}
