import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service';
import { ReadHistogram } from './read-histogram';

/** Scrapes closer together than this (several Prometheus servers, a dashboard refresh) share one read. */
const FRESH_FOR_MS = 5_000;
/** Media jobs take seconds (images) to many minutes (videos, up to their deadline). */
const MEDIA_DURATION_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

interface Figures {
  ledger: Array<{ type: string; direction: 'credit' | 'debit'; credits: string; transactions: number }>;
  payments: Array<{ status: string; currency: string; payments: number; amount_cents: string }>;
  activeSessions: number;
  webhookEndpoints: Array<{ state: 'enabled' | 'disabled'; endpoints: number }>;
  webhookDeliveries: Array<{ status: string; deliveries: number }>;
  mediaJobs: Array<{ kind: string; status: string; jobs: number }>;
  /** Finished jobs by kind, outcome and index of the first duration bucket they fit (buckets.length: none). */
  mediaDurations: Array<{ kind: string; outcome: string; bucket: number; jobs: number; seconds: number }>;
}

/**
 * Business figures read from the database at scrape time rather than counted in memory: the ledger,
 * payments and sessions change in API and worker processes alike (workers serve no `/metrics`), and
 * a process's counters start from zero on every restart, so only the database has the true totals.
 * They are the same on every API replica: aggregate them with `max without (instance, pod)`, not sum.
 * The ledger sums are monotonic (it is append-only), so `increase()` over them gives credits per period.
 */
@Injectable()
export class DatabaseFiguresCollector {
  private readonly log = new Logger(DatabaseFiguresCollector.name);
  private cached?: { at: number; figures: Promise<Figures> };

  constructor(
    private readonly dataSource: DataSource,
    metrics: MetricsService,
  ) {
    const gauge = (name: string, help: string, labelNames: string[], fill: (gauge: Gauge, figures: Figures) => void) => {
      const created: Gauge = new Gauge({
        name,
        help,
        labelNames,
        registers: [metrics.registry],
        // A scrape while the database is away leaves these series out rather than showing stale figures.
        collect: async () => {
          created.reset();
          const figures = await this.figures();
          if (figures) fill(created, figures);
        },
      });
    };
    const byTypeHelp = 'by transaction type and direction (credit: to the user, debit: from the user)';
    gauge('sah_ledger_credits', `Credits moved by ledger transactions since the start, ${byTypeHelp}`, ['type', 'direction'], (g, f) => {
      for (const row of f.ledger) g.set({ type: row.type, direction: row.direction }, Number(row.credits));
    });
    gauge('sah_ledger_transactions', `Ledger transactions since the start, ${byTypeHelp}`, ['type', 'direction'], (g, f) => {
      for (const row of f.ledger) g.set({ type: row.type, direction: row.direction }, row.transactions);
    });
    gauge('sah_payments', 'Payments by status and currency', ['status', 'currency'], (g, f) => {
      for (const row of f.payments) g.set({ status: row.status, currency: row.currency }, row.payments);
    });
    gauge('sah_payments_amount', 'Amount of payments by status and currency, in the currency (e.g. dollars)', ['status', 'currency'], (g, f) => {
      for (const row of f.payments) g.set({ status: row.status, currency: row.currency }, Number(row.amount_cents) / 100);
    });
    gauge('sah_active_sessions', 'Signed-in sessions: refresh tokens neither rotated, revoked nor expired', [], (g, f) => g.set(f.activeSessions));
    gauge(
      'sah_webhook_endpoints',
      'Webhook endpoints by state (disabled: switched off by their owner or after repeated failures)',
      ['state'],
      (g, f) => {
        for (const row of f.webhookEndpoints) g.set({ state: row.state }, row.endpoints);
      },
    );
    gauge('sah_webhook_deliveries', 'Webhook deliveries by outcome (pending, delivered, failed)', ['status'], (g, f) => {
      for (const row of f.webhookDeliveries) g.set({ status: row.status }, row.deliveries);
    });
    gauge('sah_media_jobs', 'Media jobs by kind (image, video) and state', ['kind', 'status'], (g, f) => {
      for (const row of f.mediaJobs) g.set({ kind: row.kind, status: row.status }, row.jobs);
    });
    new ReadHistogram(
      {
        name: 'sah_media_job_duration_seconds',
        help: 'Finished media jobs by kind (image, video) and outcome (succeeded, failed, cancelled, expired): time from creation to the end',
        labelNames: ['kind', 'outcome'],
        buckets: MEDIA_DURATION_BUCKETS,
        registers: [metrics.registry],
      },
      async () => {
        const figures = await this.figures();
        if (!figures) return undefined;
        const byLabels = new Map<string, { labels: { kind: string; outcome: string }; perBucket: number[]; sum: number }>();
        for (const row of figures.mediaDurations) {
          const id = `${row.kind}/${row.outcome}`;
          const entry = byLabels.get(id) ?? { labels: { kind: row.kind, outcome: row.outcome }, perBucket: MEDIA_DURATION_BUCKETS.map(() => 0).concat(0), sum: 0 };
          entry.perBucket[row.bucket] = row.jobs;
          entry.sum += row.seconds;
          byLabels.set(id, entry);
        }
        return [...byLabels.values()];
      },
    );
  }

  /** One read for all the series of a scrape; undefined when the database does not answer (series left out). */
  private async figures(): Promise<Figures | undefined> {
    if (!this.cached || Date.now() - this.cached.at > FRESH_FOR_MS) this.cached = { at: Date.now(), figures: this.read() };
    try {
      return await this.cached.figures;
    } catch (error) {
      this.cached = undefined;
      this.log.warn(`business figures unavailable for this scrape: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async read(): Promise<Figures> {
    const [ledger, payments, sessions, webhookEndpoints, webhookDeliveries, mediaJobs, mediaDurations] = await Promise.all([
      this.dataSource.query(
        `SELECT type, CASE WHEN amount > 0 THEN 'credit' ELSE 'debit' END AS direction,
                (sum(abs(amount)) / 1000.0)::text AS credits, count(*)::int AS transactions
           FROM ledger_transaction GROUP BY 1, 2`,
      ) as Promise<Figures['ledger']>,
      this.dataSource.query(
        `SELECT status, currency, count(*)::int AS payments, sum(amount_cents)::text AS amount_cents FROM payment GROUP BY 1, 2`,
      ) as Promise<Figures['payments']>,
      this.dataSource.query(
        `SELECT count(*)::int AS n FROM identity_refresh_token WHERE rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
      ) as Promise<Array<{ n: number }>>,
      this.dataSource.query(
        `SELECT CASE WHEN enabled THEN 'enabled' ELSE 'disabled' END AS state, count(*)::int AS endpoints FROM webhook_endpoint GROUP BY 1`,
      ) as Promise<Figures['webhookEndpoints']>,
      this.dataSource.query(`SELECT status, count(*)::int AS deliveries FROM webhook_delivery GROUP BY 1`) as Promise<Figures['webhookDeliveries']>,
      this.dataSource.query(`SELECT kind, status, count(*)::int AS jobs FROM media_job GROUP BY 1, 2`) as Promise<Figures['mediaJobs']>,
      // A bucket's bound is inclusive (le), as Prometheus's own histograms count.
      this.dataSource.query(
        `SELECT kind, status AS outcome, (SELECT count(*) FROM unnest($1::float8[]) AS le WHERE le < seconds)::int AS bucket,
                count(*)::int AS jobs, sum(seconds)::float8 AS seconds
           FROM (SELECT kind, status, extract(epoch FROM finished_at - created_at)::float8 AS seconds FROM media_job WHERE finished_at IS NOT NULL) AS finished
          GROUP BY 1, 2, 3`,
        [MEDIA_DURATION_BUCKETS],
      ) as Promise<Figures['mediaDurations']>,
    ]);
    return { ledger, payments, activeSessions: sessions[0]?.n ?? 0, webhookEndpoints, webhookDeliveries, mediaJobs, mediaDurations };
  }
}
