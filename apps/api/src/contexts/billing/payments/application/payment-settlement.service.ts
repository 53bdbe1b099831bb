import { Inject, Injectable } from '@nestjs/common';
import { IdempotencyKey, Payment, PaymentRepository, TeamWalletRepository } from '@sah/infrastructure';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { ROOT_LOGGER } from '../../../../platform/logging/logging.module';
import { LedgerService, requestHash } from '../../application/ledger.service';
import { referencesOf } from './stripe-references';

/** The ledger's idempotency scope of purchases: one grant per Checkout Session, ever. */
export const CHECKOUT_GRANT_SCOPE = 'stripe-checkout';

/**
 * What a Checkout Session's outcome does to its payment. Paid: the credits are granted once (the
 * session id is the grant's idempotency key, so replays and concurrent deliveries return that one
 * grant) and the payment turns paid once (a conditional update). A purchase made for a team is
 * granted to the team's wallet, the buyer recorded as the actor. Failed and expired only ever
 * apply to a payment still pending, whatever order Stripe's events arrive in.
 */
@Injectable()
export class PaymentSettlement {
  private readonly logger: Logger;

  constructor(
    private readonly payments: PaymentRepository,
    private readonly ledger: LedgerService,
    private readonly teamWallets: TeamWalletRepository,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'payments' });
  }

  /** `checkout.session.completed` and `checkout.session.async_payment_succeeded`; the payment as it now stands. */
  async settle(session: Stripe.Checkout.Session): Promise<Payment | null> {
    const payment = await this.paymentOf(session);
    if (!payment) return null;
    if (session.payment_status !== 'paid') {
      // A delayed method (a bank debit…): the credits wait for async_payment_succeeded.
      await this.payments.noteReferences(payment.id, referencesOf(session));
      return payment;
    }
    const transactionId = await this.grant(payment, session.id);
    const paid = await this.payments.markPaid(payment.id, transactionId, referencesOf(session));
    if (paid) {
      this.logger.info(
        { payment_id: paid.id, user_id: paid.userId, team_id: paid.teamId, credits: paid.credits.toString() },
        'payment settled, credits granted',
      );
      return paid;
    }
    return this.payments.findById(payment.id);
  }

  /** The purchase transaction: the same one for every delivery of the session's events. */
  private async grant(payment: Payment, sessionId: string): Promise<string> {
    const reason = `Stripe top-up: ${payment.packageName}`;
    const metadata = {
      paymentId: payment.id,
      packageCode: payment.packageCode,
      amountCents: payment.amountCents,
      currency: payment.currency,
      stripeSessionId: sessionId,
    };
    const idempotency = (owner: Record<string, string>): IdempotencyKey => ({
      scope: CHECKOUT_GRANT_SCOPE,
      key: sessionId,
      requestHash: requestHash({ ...owner, credits: payment.credits.millis.toString() }),
    });
    if (payment.teamId) {
      const posted = await this.teamWallets.postPayment({
        teamId: payment.teamId,
        type: 'purchase',
        amount: payment.credits,
        reason,
        actorId: payment.userId,
        idempotency: idempotency({ teamId: payment.teamId }),
        metadata,
      });
      return posted.transactionId;
    }
    const grant = await this.ledger.grant({
      userId: payment.userId,
      amount: payment.credits,
      type: 'purchase',
      reason,
      idempotency: idempotency({ userId: payment.userId }),
      metadata,
    });
    return grant.transaction.id;
  }

  /** `checkout.session.async_payment_failed`. */
  async fail(session: Stripe.Checkout.Session): Promise<void> {
    const payment = await this.paymentOf(session);
    if (payment)
      await this.payments.markUnpaid(payment.id, 'failed', 'The payment failed', referencesOf(session));
  }

  /** `checkout.session.expired`: the buyer never paid. */
  async expire(session: Stripe.Checkout.Session): Promise<void> {
    const payment = await this.paymentOf(session);
    if (payment) await this.payments.markUnpaid(payment.id, 'expired', null, referencesOf(session));
  }

  private async paymentOf(session: Stripe.Checkout.Session): Promise<Payment | null> {
    const payment = await this.payments.findForSession(session.id, session.metadata?.['paymentId']);
    // Sessions opened by something else on the same Stripe account are not ours to settle.
    if (!payment)
      this.logger.warn(
        { stripe_session_id: session.id },
        'Stripe event for an unknown checkout session ignored',
      );
    return payment;
  }
}
