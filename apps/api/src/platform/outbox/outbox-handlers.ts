import { Injectable } from '@nestjs/common';

export interface OutboxEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export type OutboxHandler = (event: OutboxEvent) => Promise<void>;

/** Several events of one type at once, oldest first (a consumer on the hot path saves round trips). */
export type OutboxBatchHandler = (events: readonly OutboxEvent[]) => Promise<void>;

/**
 * Who reacts to which stored domain event. Contexts register at start; the relay delivers each event
 * to every handler of its type at least once, so handlers must be idempotent.
 */
@Injectable()
export class OutboxHandlers {
  private readonly byType = new Map<string, OutboxHandler[]>();
  private readonly batchesByType = new Map<string, OutboxBatchHandler[]>();

  on(type: string, handler: OutboxHandler): void {
    this.byType.set(type, [...(this.byType.get(type) ?? []), handler]);
  }

  /** Like `on`, but handed the relay's events of that type together (also one by one, on a retry). */
  onBatch(type: string, handler: OutboxBatchHandler): void {
    this.batchesByType.set(type, [...(this.batchesByType.get(type) ?? []), handler]);
  }

  async dispatch(event: OutboxEvent): Promise<void> {
    for (const handler of this.byType.get(event.type) ?? []) await handler(event);
    for (const handler of this.batchesByType.get(event.type) ?? []) await handler([event]);
  }

  /**
   * Hands a relay batch to every handler; returns the events that failed (with why), to retry. Single
   * handlers take the events one at a time, in order; batch handlers take theirs at once, meanwhile.
   * When a batch fails, its events are tried one by one, so one bad event does not hold back the rest.
   */
  async dispatchAll(events: readonly OutboxEvent[]): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    const oneByOne = async () => {
      for (const event of events) {
        try {
          for (const handler of this.byType.get(event.type) ?? []) await handler(event);
        } catch (error) {
          failures.set(event.id, error);
        }
      }
    };
    const batched = [...this.batchesByType].map(async ([type, handlers]) => {
      const ofType = events.filter((event) => event.type === type);
      if (ofType.length === 0) return;
      for (const handler of handlers) {
        try {
          await handler(ofType);
        } catch {
          for (const event of ofType)
            await handler([event]).catch((error: unknown) => failures.set(event.id, error));
        }
      }
    });
    await Promise.all([oneByOne(), ...batched]);
    return failures;
  }
}
