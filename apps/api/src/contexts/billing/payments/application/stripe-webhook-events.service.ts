import { Injectable } from '@nestjs/common';
import { Payment, StripeEventLog } from '@sah/infrastructure';
import type Stripe from 'stripe';
import { SubscriptionEvents } from '../../plans/application/subscription-events.service';
import { PaymentRefunds } from './payment-refunds.service';
import { PaymentSettlement } from './payment-settlement.service';
import { idOf } from './stripe-references';

const HANDLED: ReadonlySet<string> = new Set<Stripe.Event['type']>([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
]);

const SETTLED: ReadonlySet<Payment['status']> = new Set(['paid', 'partially_refunded', 'refunded']);

/**
 * Routes verified Stripe events to the payment use cases (subscriptions' to the plans module). Every handler is idempotent on its own;
 * the event log only spares a redelivery the work, and parks a refund that arrives before its
 * payment is settled until it is.
 */
@Injectable()
export class StripeWebhookEvents {
  constructor(
    private readonly log: StripeEventLog,
    private readonly settlement: PaymentSettlement,
    private readonly refunds: PaymentRefunds,
    private readonly subscriptions: SubscriptionEvents,
  ) {}

  async handle(event: Stripe.Event): Promise<void> {
    if (!HANDLED.has(event.type) || (await this.log.wasProcessed(event.id))) return;
    const createdAt = new Date(event.created * 1000);
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        if (event.data.object.mode === 'subscription') await this.subscriptions.checkoutCompleted(event.data.object);
        else await this.replayParkedRefunds(await this.settlement.settle(event.data.object));
        break;
      case 'invoice.paid':
        await this.subscriptions.invoicePaid(event.data.object, createdAt);
        break;
      case 'invoice.payment_failed':
        await this.subscriptions.paymentFailed(event.data.object, createdAt);
        break;
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        await this.subscriptions.subscriptionChanged(
          event.data.object,
          createdAt,
          event.type === 'customer.subscription.deleted',
        );
        break;
      case 'checkout.session.async_payment_failed':
        await this.settlement.fail(event.data.object);
        break;
      case 'checkout.session.expired':
        if (event.data.object.mode === 'subscription') await this.subscriptions.checkoutExpired(event.data.object);
        else await this.settlement.expire(event.data.object);
        break;
      case 'charge.refunded':
        if (!(await this.refund(event))) return;
        break;
    }
    await this.log.markProcessed(event);
  }

  /** False when the refund is parked: its payment is not settled yet. */
  private async refund(event: Stripe.ChargeRefundedEvent): Promise<boolean> {
    const charge = event.data.object;
    const paymentIntent = idOf(charge.payment_intent);
    if (!paymentIntent || (await this.refunds.takeBack(charge)) !== 'awaiting-payment') return true;
    await this.log.park(event, paymentIntent, event);
    // The payment may have been settled between the look-up and the parking, and its settlement
    // then found nothing parked: look once more.
    return (await this.refunds.takeBack(charge)) !== 'awaiting-payment';
  }

  private async replayParkedRefunds(payment: Payment | null): Promise<void> {
    if (!payment?.stripePaymentIntent || !SETTLED.has(payment.status)) return;
    for (const parked of (await this.log.parkedFor(
      payment.stripePaymentIntent,
    )) as Stripe.ChargeRefundedEvent[]) {
      if ((await this.refunds.takeBack(parked.data.object)) !== 'awaiting-payment')
        await this.log.markProcessed(parked);
    }
  }
}
