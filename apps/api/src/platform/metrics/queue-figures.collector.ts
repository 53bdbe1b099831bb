import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { registeredQueues } from '../../operations/registered-queues';
import { MetricsService } from './metrics.service';

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'waiting-children'] as const;

/**
 * BullMQ queue health, read from Redis at scrape time for every queue this process has registered
 * (found through Nest's providers, so a context that adds a queue is covered without a change here).
 * The queues live in Redis, shared by every process: the figures are the same on each API replica.
 */
@Injectable()
export class QueueFiguresCollector {
  private queues?: Queue[];

  constructor(
    private readonly discovery: DiscoveryService,
    metrics: MetricsService,
  ) {
    const registers = [metrics.registry];
    const jobs: Gauge = new Gauge({
      name: 'sah_queue_jobs',
      help: 'BullMQ jobs by queue and state (waiting, prioritized, active, delayed, failed, waiting-children)',
      labelNames: ['queue', 'state'],
      registers,
      collect: async () => {
        jobs.reset();
        await this.eachQueue(async (queue) => {
          const counts = await queue.getJobCounts(...STATES);
          for (const state of STATES) jobs.set({ queue: queue.name, state }, counts[state] ?? 0);
        });
      },
    });
    const oldestAge: Gauge = new Gauge({
      name: 'sah_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest job waiting to run, by queue (0 when none waits)',
      labelNames: ['queue'],
      registers,
      collect: async () => {
        oldestAge.reset();
        await this.eachQueue(async (queue) => {
          const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
          oldestAge.set({ queue: queue.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
        });
      },
    });
    // BullMQ's own total in Redis (see CountingWorker): a counter, where the failed jobs kept can shrink.
    const failures: Counter = new Counter({
      name: 'sah_queue_jobs_failed_total',
      help: 'Jobs failed for good (attempts exhausted) since the queue was created, by queue',
      labelNames: ['queue'],
      registers,
      collect: async () => {
        failures.reset();
        await this.eachQueue(async (queue) => {
          const { meta } = await queue.getMetrics('failed', 0, 0);
          failures.inc({ queue: queue.name }, meta.count);
        });
      },
    });
  }

  /** A queue Redis does not answer for is left out of this scrape; the rest of /metrics still answers. */
  private async eachQueue(read: (queue: Queue) => Promise<void>): Promise<void> {
    await Promise.all(this.all().map((queue) => read(queue).catch(() => undefined)));
  }

  private all(): Queue[] {
    this.queues ??= registeredQueues(this.discovery);
    return this.queues;
  }
}
