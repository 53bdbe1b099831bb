import { Injectable } from '@nestjs/common';

/** Deletes up to `batchSize` rows per statement whose retention had passed at `now`; returns how many. */
export type RetentionPurge = (now: Date, batchSize: number) => Promise<number>;

/**
 * Who forgets which rows. The maintenance job owns the schedule, not the tables: each context
 * registers the purge of its own tables at start (as it registers outbox handlers), so the retention
 * rules stay with the data's owner.
 */
@Injectable()
export class RetentionPurges {
  private readonly byName = new Map<string, RetentionPurge>();

  register(name: string, purge: RetentionPurge): void {
    if (this.byName.has(name)) throw new Error(`retention purge "${name}" is registered twice`);
    this.byName.set(name, purge);
  }

  /** Runs every purge in turn; the result names each with the rows it deleted. */
  async runAll(now: Date, batchSize: number): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const [name, purge] of this.byName) deleted[name] = await purge(now, batchSize);
    return deleted;
  }
}
