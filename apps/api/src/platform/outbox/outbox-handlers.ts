import { Injectable } from '@nestjs/common';

export interface OutboxEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

export type OutboxHandler = (event: OutboxEvent) => Promise<void>;

/**
 * Who reacts to which stored domain event. Contexts register at start; the relay delivers each event
 * to every handler of its type at least once, so handlers must be idempotent.
 */
@Injectable()
export class OutboxHandlers {
  private readonly byType = new Map<string, OutboxHandler[]>();

  on(type: string, handler: OutboxHandler): void {
    this.byType.set(type, [...(this.byType.get(type) ?? []), handler]);
  }

  async dispatch(event: OutboxEvent): Promise<void> {
    for (const handler of this.byType.get(event.type) ?? []) await handler(event);
  }
}
