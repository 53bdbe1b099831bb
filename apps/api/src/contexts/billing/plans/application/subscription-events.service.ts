import { Inject, Injectable } from '@nestjs/common';
import { allowanceForLine, Credits } from '@sah/domain';
import { Plan, PlanRepository, PlanSubscription, PlanSubscriptionRepository, SubscriptionStatus } from '@sah/infrastructure';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { ROOT_LOGGER } from '../../../../platform/logging/logging.module';
import { LedgerService, requestHash } from '../../application/ledger.service';
import { idOf } from '../../payments/application/stripe-references';

/** The ledger's idempotency scope of plan allowances: one grant per paid invoice, ever. */
export const INVOICE_GRANT_SCOPE = 'stripe-invoice';

const STATUS_OF: Record<string, SubscriptionStatus> = {
  active: 'active',
  trialing: 'active',
  past_due: 'past_due',
  unpaid: 'past_due',
  paused: 'past_due',
  incomplete: 'incomplete',
  incomplete_expired: 'canceled',
  canceled: 'canceled',
};

interface Grant {
  plan: Plan;
  credits: Credits;
  period: { start: Date; end: Date };
  proration: boolean;
}

const at = (seconds: number) => new Date(seconds * 1000);

/**
 * What Stripe's subscription events do here. `invoice.paid` grants the allowance of the period paid
 * for, once per invoice (the invoice id is the grant's idempotency key), as credits expiring at the
 * period's end; the state events (`invoice.payment_failed`, `customer.subscription.updated` and
 * `.deleted`) are applied in the order Stripe created them, whatever order they arrive in.
 */
@Injectable()
export class SubscriptionEvents {
  private readonly logger: Logger;

  constructor(
    private readonly plans: PlanRepository,
    private readonly subscriptions: PlanSubscriptionRepository,
    private readonly ledger: LedgerService,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'plans' });
  }

  /** `checkout.session.completed` in subscription mode: links the session's subscription to our row. */
  async checkoutCompleted(session: Stripe.Checkout.Session): Promise<void> {
    const stripeSubscriptionId = idOf(session.subscription);
    if (!stripeSubscriptionId) return;
    await this.rowOf(stripeSubscriptionId, session.metadata?.['planSubscriptionId'], idOf(session.customer));
  }

  /** `checkout.session.expired`: the subscription never started. */
  async checkoutExpired(session: Stripe.Checkout.Session): Promise<void> {
    await this.subscriptions.abandonSession(session.id);
  }

  async invoicePaid(invoice: Stripe.Invoice, eventAt: Date): Promise<void> {
    const subscription = await this.rowOfInvoice(invoice);
    if (!subscription) return;
    const grants = await this.grantsOf(invoice);
    const credits = grants.reduce((sum, grant) => sum.plus(grant.credits), Credits.ZERO);
    const renewal = grants.find((grant) => !grant.proration);
    const expiresAt = new Date(Math.max(...grants.map((grant) => grant.period.end.getTime()), 0));
    if (credits.isPositive()) {
      const posting = await this.ledger.grant({
        userId: subscription.userId,
        amount: credits,
        type: 'purchase',
        reason: `Plan allowance: ${grants.map((grant) => grant.plan.name).join(', ')}`,
        idempotency: {
          scope: INVOICE_GRANT_SCOPE,
          key: invoice.id,
          requestHash: requestHash({ userId: subscription.userId, invoiceId: invoice.id }),
        },
        expiresAt,
        metadata: {
          planSubscriptionId: subscription.id,
          stripeInvoiceId: invoice.id,
          stripeSubscriptionId: subscription.stripeSubscriptionId,
          planCodes: grants.map((grant) => grant.plan.code),
          amountPaidCents: invoice.amount_paid,
          currency: invoice.currency,
          periodEnd: expiresAt.toISOString(),
        },
      });
      if (!posting.replayed)
        this.logger.info(
          { user_id: subscription.userId, plan_subscription_id: subscription.id, stripe_invoice_id: invoice.id, credits: credits.toString() },
          'plan allowance granted',
        );
    }
    await this.subscriptions.markPaid(subscription.id, eventAt, {
      planId: renewal?.plan.id ?? null,
      start: renewal?.period.start ?? null,
      end: renewal?.period.end ?? null,
    });
  }

  /** The grace period starts; the maintenance job moves the user to Free when it is over. */
  async paymentFailed(invoice: Stripe.Invoice, eventAt: Date): Promise<void> {
    const subscription = await this.rowOfInvoice(invoice);
    if (subscription) await this.subscriptions.markPastDue(subscription.id, eventAt);
  }

  /** A plan change (Stripe prorates and invoices it), a cancellation scheduled or undone, the end of a subscription. */
  async subscriptionChanged(stripeSubscription: Stripe.Subscription, eventAt: Date, deleted: boolean): Promise<void> {
    const subscription = await this.rowOf(
      stripeSubscription.id,
      stripeSubscription.metadata?.['planSubscriptionId'],
      idOf(stripeSubscription.customer),
    );
    if (!subscription) return;
    const item = stripeSubscription.items?.data?.[0];
    const plan = item ? await this.plans.findByStripePrice(item.price.id) : null;
    if (item && !plan)
      this.logger.warn({ stripe_price_id: item.price.id, plan_subscription_id: subscription.id }, 'subscription on a Stripe price no plan bills: plan kept');
    await this.subscriptions.applyStripeState(subscription.id, {
      status: deleted ? 'canceled' : (STATUS_OF[stripeSubscription.status] ?? subscription.status),
      planId: plan?.id ?? null,
      currentPeriodStart: item ? at(item.current_period_start) : null,
      currentPeriodEnd: item ? at(item.current_period_end) : null,
      cancelAtPeriodEnd: stripeSubscription.cancel_at_period_end,
      endedAt: stripeSubscription.ended_at ? at(stripeSubscription.ended_at) : null,
      eventAt,
    });
  }

  /** The plan lines of an invoice with the credits each earns. */
  private async grantsOf(invoice: Stripe.Invoice): Promise<Grant[]> {
    if (invoice.lines.has_more)
      this.logger.warn({ stripe_invoice_id: invoice.id }, 'invoice with more lines than its event carries: only those are counted');
    const grants: Grant[] = [];
    for (const line of invoice.lines.data) {
      const price = line.pricing?.price_details?.price;
      const priceId = typeof price === 'string' ? price : price?.id;
      const plan = priceId ? await this.plans.findByStripePrice(priceId) : null;
      if (!plan) continue;
      grants.push({
        plan,
        credits: allowanceForLine(plan.monthlyCredits, {
          amountCents: line.amount,
          // A string on the wire; the SDK may hand it over as its Decimal, whose text is the same.
          unitAmountDecimal: line.pricing?.unit_amount_decimal != null ? String(line.pricing.unit_amount_decimal) : null,
          quantity: line.quantity,
        }),
        period: { start: at(line.period.start), end: at(line.period.end) },
        proration: line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration ?? false,
      });
    }
    return grants;
  }

  private rowOfInvoice(invoice: Stripe.Invoice): Promise<PlanSubscription | null> {
    const details = invoice.parent?.subscription_details;
    const stripeSubscriptionId = idOf(details?.subscription);
    if (!stripeSubscriptionId) return Promise.resolve(null);
    return this.rowOf(stripeSubscriptionId, details?.metadata?.['planSubscriptionId'], idOf(invoice.customer));
  }

  private async rowOf(stripeSubscriptionId: string, rowId: string | undefined, customerId: string | null): Promise<PlanSubscription | null> {
    const row = await this.subscriptions.findForStripe(stripeSubscriptionId, rowId, customerId);
    // Subscriptions opened by something else on the same Stripe account are not ours.
    if (!row) this.logger.warn({ stripe_subscription_id: stripeSubscriptionId }, 'Stripe event for an unknown subscription ignored');
    return row;
  }
}
