import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { registeredQueues } from './registered-queues';

/** One UTC day of the business, as the daily summary mail reports it. Credits are decimal strings. */
export interface DailyFigures {
  day: string;
  signUps: number;
  creditsSold: string;
  creditsSpent: string;
  aiRequests: number;
  aiErrors: number;
  failedJobs: number;
  failedDeliveries: number;
}

/** How many failed jobs a queue is searched for that day's failures (the failed set is kept bounded). */
const FAILED_JOBS_SCANNED = 1_000;

/**
 * A read-only report across contexts (it reads their tables and changes nothing), like the figures
 * of /metrics. Each sum uses the table's created_at index for the day's range.
 */
@Injectable()
export class DailySummaryQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
  ) {}

  async figuresFor(day: string): Promise<DailyFigures> {
    const range = [`${day}T00:00:00Z`, `${day}T00:00:00Z`];
    const within = `created_at >= $1::timestamptz AND created_at < $2::timestamptz + interval '1 day'`;
    const [users, ledger, ai, deliveries, failedJobs] = await Promise.all([
      this.one(`SELECT count(*)::int AS n FROM identity_user WHERE ${within}`, range),
      this.one(
        `SELECT (coalesce(sum(amount) FILTER (WHERE type = 'purchase' AND amount > 0), 0) / 1000.0)::text AS sold,
                (coalesce(-sum(amount) FILTER (WHERE type IN ('usage', 'debit') AND amount < 0), 0) / 1000.0)::text AS spent
           FROM ledger_transaction WHERE ${within}`,
        range,
      ),
      this.one(`SELECT count(*)::int AS n, (count(*) FILTER (WHERE status = 'error'))::int AS errors FROM ai_usage WHERE ${within}`, range),
      this.one(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'failed' AND updated_at >= $1::timestamptz AND updated_at < $2::timestamptz + interval '1 day'`, range),
      this.failedJobsOn(day),
    ]);
    return {
      day,
      signUps: users.n as number,
      creditsSold: trimDecimal(ledger.sold as string),
      creditsSpent: trimDecimal(ledger.spent as string),
      aiRequests: ai.n as number,
      aiErrors: ai.errors as number,
      failedJobs,
      failedDeliveries: deliveries.n as number,
    };
  }

  /** Jobs of any queue that failed for good that day (kept in the queue's failed set). */
  private async failedJobsOn(day: string): Promise<number> {
    const start = Date.parse(`${day}T00:00:00Z`);
    const end = start + 24 * 60 * 60 * 1000;
    const counts = await Promise.all(
      registeredQueues(this.discovery).map(async (queue) => {
        const failed = await queue.getFailed(0, FAILED_JOBS_SCANNED - 1);
        return failed.filter((job) => job.finishedOn !== undefined && job.finishedOn >= start && job.finishedOn < end).length;
      }),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  private async one(sql: string, params: unknown[]): Promise<Record<string, unknown>> {
    const rows = (await this.dataSource.query(sql, params)) as Array<Record<string, unknown>>;
    return rows[0] ?? {};
  }
}

/** `1500.000000` → `1500`, `1.500` → `1.5`. */
function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}
