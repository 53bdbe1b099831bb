import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { registeredQueues } from '../registered-queues';

export interface QueueHealth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  oldestWaitingSeconds: number;
  reachable: boolean;
}

/** Every BullMQ queue of this process (media, webhooks, mail, …), as /metrics reports them, read now. */
@Injectable()
export class QueueHealthReader {
  private queues?: Queue[];

  constructor(private readonly discovery: DiscoveryService) {}

  async read(): Promise<QueueHealth[]> {
    this.queues ??= registeredQueues(this.discovery).sort((a, b) => a.name.localeCompare(b.name));
    return Promise.all(this.queues.map((queue) => this.one(queue)));
  }

  /** A queue Redis does not answer for is shown unreachable; the rest of the dashboard still answers. */
  private async one(queue: Queue): Promise<QueueHealth> {
    try {
      const [counts, [oldest]] = await Promise.all([
        queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
        queue.getJobs(['wait'], 0, 0, true),
      ]);
      return {
        name: queue.name,
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingSeconds: oldest ? Math.max(0, Math.round((Date.now() - oldest.timestamp) / 1000)) : 0,
        reachable: true,
      };
    } catch {
      return { name: queue.name, waiting: 0, active: 0, delayed: 0, failed: 0, oldestWaitingSeconds: 0, reachable: false };
    }
  }
}
