import { Credits } from '@sah/domain';
import { DataSource } from 'typeorm';
import { inTransaction } from '../sql-transaction';
import {
  CreditPackage,
  Payment,
  PaymentRefundRow,
  PaymentRefundStep,
  PaymentRow,
  PaymentStatus,
  toPayment,
  toRefundStep,
} from './payment.rows';

export interface PaymentFilter {
  userId?: string;
  /** Purchases made for this team. */
  teamId?: string;
  status?: PaymentStatus;
  /** Only payments whose refunds could not take all their credits back (or only the others). */
  flagged?: boolean;
}

export interface PaymentPage {
  items: Payment[];
  total: number;
}

/** What Stripe said about the payment's session, kept once known. */
export interface StripeReferences {
  sessionId: string;
  paymentIntent: string | null;
}

export type RefundRecording = 'recorded' | 'already-recorded' | 'not-paid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A step claimed this long ago and still not applied belongs to a process that died. */
const STALE_CLAIM = `interval '2 minutes'`;

/**
 * Payments, one per Checkout Session. Status changes are conditional updates, so replayed and
 * concurrent webhook deliveries make each change once; the credits themselves move through the
 * ledger under their own idempotency keys.
 */
export class PaymentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** `teamId`: a purchase for that team's wallet, paid by `userId`. */
  async createPending(userId: string, creditPackage: CreditPackage, teamId: string | null = null): Promise<Payment> {
    const rows = (await this.dataSource.query(
      `INSERT INTO payment (user_id, package_id, package_code, package_name, credits, amount_cents, currency, team_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        userId,
        creditPackage.id,
        creditPackage.code,
        creditPackage.name,
        creditPackage.credits.millis.toString(),
        creditPackage.priceCents,
        creditPackage.currency,
        teamId,
      ],
    )) as PaymentRow[];
    const [row] = rows;
    if (!row) throw new Error('INSERT INTO payment returned no row');
    return toPayment(row);
  }

  async attachSession(id: string, sessionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE payment SET stripe_session_id = $2, updated_at = now() WHERE id = $1`,
      [id, sessionId],
    );
  }

  /** Stripe refused to open a session: the payment never started. */
  async markCheckoutFailed(id: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE payment SET status = 'failed', failure_reason = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, reason.slice(0, 500)],
    );
  }

  async findById(id: string): Promise<Payment | null> {
    if (!UUID.test(id)) return null;
    return this.one(`SELECT * FROM payment WHERE id = $1`, [id]);
  }

  /**
   * The payment of a Checkout Session: by session id, or by the payment id the session's metadata
   * carries when the session id was never saved (the process stopped right after creating it).
   */
  findForSession(sessionId: string, paymentId: string | undefined): Promise<Payment | null> {
    return this.one(
      `SELECT * FROM payment WHERE stripe_session_id = $1 OR (id = $2 AND stripe_session_id IS NULL) LIMIT 1`,
      [sessionId, paymentId && UUID.test(paymentId) ? paymentId : null],
    );
  }

  findByPaymentIntent(paymentIntent: string): Promise<Payment | null> {
    return this.one(`SELECT * FROM payment WHERE stripe_payment_intent = $1`, [paymentIntent]);
  }

  /** Remembers the session's payment intent while an asynchronous payment is under way. */
  async noteReferences(id: string, stripe: StripeReferences): Promise<void> {
    await this.dataSource.query(
      `UPDATE payment SET stripe_session_id = coalesce(stripe_session_id, $2),
                          stripe_payment_intent = coalesce(stripe_payment_intent, $3), updated_at = now()
        WHERE id = $1`,
      [id, stripe.sessionId, stripe.paymentIntent],
    );
  }

  /**
   * Records the grant and marks the payment paid, once: only the call that makes the change gets
   * the payment back, and that same statement stores `payment.succeeded` in the outbox (receipt).
   */
  async markPaid(
    id: string,
    creditedTransactionId: string,
    stripe: StripeReferences,
  ): Promise<Payment | null> {
    const rows = (await this.dataSource.query(
      `WITH paid AS (
         UPDATE payment SET status = 'paid', credited_transaction_id = $2, paid_at = now(), failure_reason = NULL,
                            stripe_session_id = coalesce(stripe_session_id, $3),
                            stripe_payment_intent = coalesce(stripe_payment_intent, $4), updated_at = now()
          WHERE id = $1 AND status IN ('pending', 'failed', 'expired')
          RETURNING *
       ), event AS (
         INSERT INTO outbox_event (type, payload, occurred_at)
         SELECT 'payment.succeeded', jsonb_build_object('paymentId', paid.id, 'userId', paid.user_id), now() FROM paid
       )
       SELECT * FROM paid`,
      [id, creditedTransactionId, stripe.sessionId, stripe.paymentIntent],
    )) as PaymentRow[];
    return rows[0] ? toPayment(rows[0]) : null;
  }

  /** Pending payments only: a payment already paid never turns failed or expired. */
  async markUnpaid(
    id: string,
    status: 'failed' | 'expired',
    reason: string | null,
    stripe: StripeReferences,
  ): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE payment SET status = $2, failure_reason = $3, stripe_session_id = coalesce(stripe_session_id, $4),
                          stripe_payment_intent = coalesce(stripe_payment_intent, $5), updated_at = now()
        WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, status, reason?.slice(0, 500) ?? null, stripe.sessionId, stripe.paymentIntent],
    )) as [unknown[], number];
    return rows[0].length > 0;
  }

  /**
   * Records that Stripe has now refunded `amountRefundedCents` in all (its figure is cumulative) as
   * a step owing `owed(payment)` credits. Serialised on the payment's row; a figure no higher than
   * the one already recorded is a replay or arrived late, and records nothing.
   */
  recordRefund(
    paymentId: string,
    refund: { chargeId: string; amountRefundedCents: number; fullyRefunded: boolean },
    owed: (payment: Payment) => Credits,
  ): Promise<RefundRecording> {
    return inTransaction(this.dataSource, async (tx) => {
      const row = await tx.one<PaymentRow>(`SELECT * FROM payment WHERE id = $1 FOR UPDATE`, [paymentId]);
      const payment = row && toPayment(row);
      if (!payment || !['paid', 'partially_refunded', 'refunded'].includes(payment.status)) return 'not-paid';
      if (refund.amountRefundedCents <= payment.refundedCents) return 'already-recorded';
      await tx.rows(
        `INSERT INTO payment_refund (payment_id, stripe_charge_id, amount_refunded_cents, credits_owed) VALUES ($1, $2, $3, $4)`,
        [paymentId, refund.chargeId, refund.amountRefundedCents, owed(payment).millis.toString()],
      );
      await tx.rows(`UPDATE payment SET refunded_cents = $2, status = $3, updated_at = now() WHERE id = $1`, [
        paymentId,
        refund.amountRefundedCents,
        refund.fullyRefunded ? 'refunded' : 'partially_refunded',
      ]);
      return 'recorded';
    });
  }

  /**
   * Claims the payment's refund steps not yet applied, oldest first, for this caller alone (others
   * get nothing); steps claimed by a process that died are claimed again.
   */
  async claimOpenRefunds(paymentId: string): Promise<PaymentRefundStep[]> {
    const rows = (await this.dataSource.query(
      `UPDATE payment_refund SET status = 'applying', claimed_at = now()
        WHERE payment_id = $1
          AND (status = 'pending' OR (status = 'applying' AND claimed_at < now() - ${STALE_CLAIM}))
        RETURNING *`,
      [paymentId],
    )) as [PaymentRefundRow[], number];
    return rows[0].map(toRefundStep).sort((a, b) => a.amountRefundedCents - b.amountRefundedCents);
  }

  /** Gives a claimed step back (its caller failed) for the next delivery to apply. */
  async releaseRefund(stepId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE payment_refund SET status = 'pending', claimed_at = NULL WHERE id = $1 AND status = 'applying'`,
      [stepId],
    );
  }

  /** The chargeback an earlier claim of a step already posted, if any. */
  async postedChargeback(
    idempotencyScope: string,
    idempotencyKey: string,
  ): Promise<{ id: string; taken: Credits } | null> {
    const rows = (await this.dataSource.query(
      `SELECT id, -amount AS taken FROM ledger_transaction WHERE idempotency_scope = $1 AND idempotency_key = $2`,
      [idempotencyScope, idempotencyKey],
    )) as Array<{ id: string; taken: string }>;
    return rows[0] ? { id: rows[0].id, taken: Credits.fromMillis(rows[0].taken) } : null;
  }

  /** Closes a claimed step with what was taken; what could not be taken is added to the shortfall. */
  completeRefund(
    stepId: string,
    taken: Credits,
    chargebackTransactionId: string | null,
  ): Promise<Payment | null> {
    return inTransaction(this.dataSource, async (tx) => {
      const step = await tx.one<PaymentRefundRow>(
        `UPDATE payment_refund SET status = 'applied', credits_taken = $2, chargeback_transaction_id = $3, applied_at = now()
          WHERE id = $1 AND status = 'applying' RETURNING *`,
        [stepId, taken.millis.toString(), chargebackTransactionId],
      );
      if (!step) return null;
      const payment = await tx.only<PaymentRow>(
        `UPDATE payment SET credits_reversed = credits_reversed + $2,
                            refund_shortfall = refund_shortfall + ($3::bigint - $2::bigint), updated_at = now()
          WHERE id = $1 RETURNING *`,
        [step.payment_id, taken.millis.toString(), step.credits_owed],
      );
      // Announced with the step that applies it (once: the step moved from 'applying' just above).
      await tx.rows(
        `INSERT INTO outbox_event (type, payload, occurred_at)
         VALUES ('payment.refunded', jsonb_build_object('paymentId', $1::text, 'userId', $2::text, 'refundId', $3::text,
                                                        'credits', round($4::numeric / 1000, 3)), now())`,
        [payment.id, payment.user_id, step.id, taken.millis.toString()],
      );
      return toPayment(payment);
    });
  }

  /** Newest first. */
  async list(filter: PaymentFilter, page: { offset: number; limit: number }): Promise<PaymentPage> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.userId) add('user_id = ?', filter.userId);
    if (filter.teamId) add('team_id = ?', filter.teamId);
    if (filter.status) add('status = ?', filter.status);
    if (filter.flagged !== undefined) add('(refund_shortfall > 0) = ?', filter.flagged);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM payment ${where} ORDER BY created_at DESC, id DESC OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
        [...params, page.offset, page.limit],
      ) as Promise<PaymentRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM payment ${where}`, params) as Promise<
        Array<{ total: number }>
      >,
    ]);
    return { items: rows.map(toPayment), total: count[0]?.total ?? 0 };
  }

  private async one(sql: string, params: unknown[]): Promise<Payment | null> {
    const rows = (await this.dataSource.query(sql, params)) as PaymentRow[];
    return rows[0] ? toPayment(rows[0]) : null;
  }
}
