import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { inTransaction } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ROOT_LOGGER } from '../logging/logging.module';
import { OutboxEvent, OutboxHandlers } from './outbox-handlers';

// Events claimed at once: handlers that take batches (webhooks fan-out) pay their round trips per batch.
const BATCH_SIZE = 100;
const MAX_BACKOFF_SECONDS = 15 * 60;

interface OutboxRow {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  attempts: number;
}

/**
 * Publishes stored domain events to their handlers, oldest first. Rows are claimed with SKIP LOCKED,
 * so several worker processes share the work; a failing event is retried with exponential backoff
 * without holding up the others. A batch is handed to the handlers together and marked published in
 * one statement.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private running?: Promise<void>;
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: OutboxHandlers,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'outbox-relay' });
  }

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let relayed = 0;
      try {
        relayed = await this.relayBatch();
      } catch (error) {
        this.logger.warn({ err: error }, 'outbox relay batch failed');
      }
      if (relayed < BATCH_SIZE && !this.stopped) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.config.outbox.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private relayBatch(): Promise<number> {
    return inTransaction(this.dataSource, async (tx) => {
      const rows = await tx.rows<OutboxRow>(
        `SELECT id, type, payload, occurred_at, attempts FROM outbox_event
          WHERE published_at IS NULL AND next_attempt_at <= now()
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH_SIZE],
      );
      const events: OutboxEvent[] = rows.map((row) => ({
        id: row.id,
        type: row.type,
        payload: row.payload,
        occurredAt: row.occurred_at,
      }));
      const failures = await this.handlers.dispatchAll(events);
      const published = rows.filter((row) => !failures.has(row.id)).map((row) => row.id);
      if (published.length > 0)
        await tx.rows(
          `UPDATE outbox_event SET published_at = now(), last_error = NULL WHERE id = ANY ($1::bigint[])`,
          [published],
        );
      for (const row of rows) {
        if (!failures.has(row.id)) continue;
        const error = failures.get(row.id);
        const delaySeconds = Math.min(2 ** row.attempts, MAX_BACKOFF_SECONDS);
        this.logger.warn(
          { err: error, event_id: row.id, event_type: row.type, attempts: row.attempts + 1 },
          'outbox event failed',
        );
        await tx.rows(
          `UPDATE outbox_event SET attempts = attempts + 1, last_error = $2,
                  next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`,
          [row.id, String((error as Error)?.message ?? error).slice(0, 1000), delaySeconds],
        );
      }
      return rows.length;
    });
  }
}
