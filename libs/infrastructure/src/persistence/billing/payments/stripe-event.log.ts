import { DataSource } from 'typeorm';

export interface StripeEventRef {
  id: string;
  type: string;
}

/**
 * The Stripe events already handled (so a redelivery is answered without redoing the work) and
 * those parked until they can be handled: a refund that arrives before its payment is settled.
 * Only parked events keep their payload.
 */
export class StripeEventLog {
  constructor(private readonly dataSource: DataSource) {}

  async wasProcessed(eventId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM stripe_event WHERE id = $1 AND status = 'processed'`,
      [eventId],
    )) as unknown[];
    return rows.length > 0;
  }

  async markProcessed(event: StripeEventRef): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO stripe_event (id, type, status, processed_at) VALUES ($1, $2, 'processed', now())
       ON CONFLICT (id) DO UPDATE SET status = 'processed', payload = NULL, processed_at = now()`,
      [event.id, event.type],
    );
  }

  /** Keeps the event until the payment with this payment intent is settled. */
  async park(event: StripeEventRef, paymentIntent: string, payload: unknown): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO stripe_event (id, type, status, payment_intent, payload) VALUES ($1, $2, 'parked', $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [event.id, event.type, paymentIntent, JSON.stringify(payload)],
    );
  }

  /** Parked events waiting for this payment intent, oldest first. */
  async parkedFor(paymentIntent: string): Promise<unknown[]> {
    const rows = (await this.dataSource.query(
      `SELECT payload FROM stripe_event WHERE status = 'parked' AND payment_intent = $1 ORDER BY received_at, id`,
      [paymentIntent],
    )) as Array<{ payload: unknown }>;
    return rows.map((row) => row.payload);
  }

  /**
   * Forgets processed events received before `cutoff` (Stripe stops redelivering after three days),
   * in batches. Parked events stay until their payment settles.
   */
  async purgeProcessedBefore(cutoff: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM stripe_event WHERE id IN (
           SELECT id FROM stripe_event WHERE status = 'processed' AND received_at < $1 LIMIT $2)`,
        [cutoff, batchSize],
      )) as [unknown, number];
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
