import { Inject, Injectable } from '@nestjs/common';
import { Credits, isDomainError } from '@sah/domain';
import { Payment, PaymentRefundStep, PaymentRepository, TeamWalletRepository } from '@sah/infrastructure';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { ROOT_LOGGER } from '../../../../platform/logging/logging.module';
import { LedgerService, requestHash } from '../../application/ledger.service';
import { creditsOwed } from './refund-share';
import { idOf } from './stripe-references';

/** The ledger's idempotency scope of refund chargebacks: one per charge and cumulative refunded amount. */
export const REFUND_CHARGEBACK_SCOPE = 'stripe-refund';

/** `awaiting-payment`: the charge's payment is not settled (yet); the refund must wait for it. */
export type RefundOutcome = 'applied' | 'awaiting-payment' | 'ignored';

/** Each look at the balance may be overtaken by spending; after this many tries the step is left for a redelivery. */
const MAX_ATTEMPTS = 5;

/**
 * `charge.refunded`: takes back the refunded share of a purchase's credits as a chargeback, as far
 * as the user's available balance allows; what it cannot take is recorded as the payment's
 * shortfall (flagged for finance) and in the chargeback's metadata.
 *
 * Two stages keep this exact under replays and concurrency. Recording a step is serialised on the
 * payment's row and fixes what it owes (Stripe's refunded figure is cumulative, so an old or
 * repeated figure records nothing). Applying a step is claimed by one caller, and its chargeback
 * carries an idempotency key, so even a claim re-taken after a crash posts it once.
 */
@Injectable()
export class PaymentRefunds {
  private readonly logger: Logger;

  constructor(
    private readonly payments: PaymentRepository,
    private readonly ledger: LedgerService,
    private readonly teamWallets: TeamWalletRepository,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'payments' });
  }

  async takeBack(charge: Stripe.Charge): Promise<RefundOutcome> {
    const paymentIntent = idOf(charge.payment_intent);
    if (!paymentIntent || charge.amount_refunded <= 0) return 'ignored';
    const payment = await this.payments.findByPaymentIntent(paymentIntent);
    if (!payment || payment.status === 'pending') return 'awaiting-payment';
    if (payment.status === 'failed' || payment.status === 'expired') return 'ignored';

    await this.payments.recordRefund(
      payment.id,
      {
        chargeId: charge.id,
        amountRefundedCents: charge.amount_refunded,
        fullyRefunded: charge.amount_refunded >= charge.amount,
      },
      (current) => creditsOwed(current.credits, current.refundedCents, charge.amount_refunded, charge.amount),
    );
    // Also after a step already recorded: a delivery whose earlier attempt stopped half-way finishes it.
    for (const step of await this.payments.claimOpenRefunds(payment.id)) await this.apply(payment, step);
    return 'applied';
  }

  private async apply(payment: Payment, step: PaymentRefundStep): Promise<void> {
    let chargeback: { taken: Credits; transactionId: string | null };
    try {
      chargeback = await this.chargeBack(payment, step);
    } catch (error) {
      await this.payments.releaseRefund(step.id);
      throw error;
    }
    const updated = await this.payments.completeRefund(step.id, chargeback.taken, chargeback.transactionId);
    const shortfall = step.creditsOwed.minus(chargeback.taken);
    const log = {
      payment_id: payment.id,
      user_id: payment.userId,
      owed: step.creditsOwed.toString(),
      taken: chargeback.taken.toString(),
    };
    if (shortfall.isPositive()) {
      this.logger.warn(
        { ...log, shortfall: shortfall.toString(), total_shortfall: updated?.refundShortfall.toString() },
        'refund could not take all its credits back: flagged',
      );
    } else {
      this.logger.info(log, 'refund taken back');
    }
  }

  private async chargeBack(
    payment: Payment,
    step: PaymentRefundStep,
  ): Promise<{ taken: Credits; transactionId: string | null }> {
    const key = `${step.stripeChargeId}:${step.amountRefundedCents}`;
    const earlier = await this.payments.postedChargeback(REFUND_CHARGEBACK_SCOPE, key);
    if (earlier) return { taken: earlier.taken, transactionId: earlier.id };

    const idempotency = {
      scope: REFUND_CHARGEBACK_SCOPE,
      key,
      requestHash: requestHash({
        userId: payment.userId,
        paymentId: payment.id,
        refundedCents: step.amountRefundedCents,
      }),
    };
    const reason = `Stripe refund of the ${payment.packageName} top-up`;
    for (let attempt = 1; ; attempt++) {
      const available = await this.available(payment);
      const take = step.creditsOwed.isGreaterThan(available) ? available : step.creditsOwed;
      if (!take.isPositive()) return { taken: Credits.ZERO, transactionId: null };
      const metadata = {
        paymentId: payment.id,
        stripeChargeId: step.stripeChargeId,
        amountRefundedCents: step.amountRefundedCents,
        creditsOwed: step.creditsOwed.toNumber(),
        shortfall: step.creditsOwed.minus(take).toNumber(),
      };
      try {
        if (payment.teamId) {
          const posted = await this.teamWallets.postPayment({
            teamId: payment.teamId,
            type: 'chargeback',
            amount: take.negate(),
            reason,
            actorId: payment.userId,
            idempotency,
            metadata,
          });
          return { taken: take, transactionId: posted.transactionId };
        }
        const posting = await this.ledger.debit({
          userId: payment.userId,
          amount: take,
          type: 'chargeback',
          reason,
          idempotency,
          metadata,
        });
        return { taken: posting.transaction.amount.negate(), transactionId: posting.transaction.id };
      } catch (error) {
        // Spent between the look and the debit: look again.
        if (!(isDomainError(error) && error.code === 'INSUFFICIENT_CREDITS') || attempt >= MAX_ATTEMPTS)
          throw error;
      }
    }
  }

  /** What the account the purchase credited can give back now. */
  private async available(payment: Payment): Promise<Credits> {
    if (payment.teamId) {
      const wallet = await this.teamWallets.wallet(payment.teamId);
      return wallet ? wallet.balance.minus(wallet.reserved) : Credits.ZERO;
    }
    const account = await this.ledger.balance(payment.userId);
    return account.balance.minus(account.reserved);
  }
}
