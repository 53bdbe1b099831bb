import { DomainError } from '@sah/domain';
import Stripe from 'stripe';
import { createStripeClient } from './stripe-client';

export interface StripeSettings {
  secretKey?: string;
  webhookSecret?: string;
  apiBase?: string;
  timeoutMs: number;
  maxNetworkRetries: number;
}

export interface CheckoutSessionRequest {
  /** Our payment's id: the session's metadata and the request's idempotency key. */
  paymentId: string;
  userId: string;
  /** A purchase for this team's wallet (the user pays). */
  teamId?: string | null;
  email?: string;
  packageCode: string;
  productName: string;
  amountCents: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
}

export interface SubscriptionCheckoutRequest {
  /** Our subscription row: the session's and the subscription's metadata, and the idempotency key. */
  subscriptionId: string;
  userId: string;
  email?: string;
  planCode: string;
  stripePriceId: string;
  successUrl: string;
  cancelUrl: string;
}

export interface PlanPriceRequest {
  planId: string;
  planName: string;
  amountCents: number;
  currency: string;
}

export interface SubscriptionPriceChange {
  stripeSubscriptionId: string;
  /** The subscription item whose price changes (the plan's one line). */
  itemId: string;
  stripePriceId: string;
  idempotencyKey: string;
}

export interface CreatedCheckoutSession {
  id: string;
  url: string;
}

/**
 * What the billing context needs from Stripe: hosted Checkout Sessions, and verified webhook events.
 * Without a secret key Stripe top-ups are off and every use says so.
 */
export class StripeGateway {
  private readonly client: Stripe | null;

  constructor(private readonly settings: StripeSettings) {
    this.client = settings.secretKey
      ? createStripeClient({
          secretKey: settings.secretKey,
          apiBase: settings.apiBase,
          timeoutMs: settings.timeoutMs,
          maxNetworkRetries: settings.maxNetworkRetries,
        })
      : null;
  }

  /** Refuses early, before any payment is recorded, when Stripe is not set up. */
  assertConfigured(): void {
    this.stripe();
  }

  async createCheckoutSession(request: CheckoutSessionRequest): Promise<CreatedCheckoutSession> {
    const metadata = {
      userId: request.userId,
      packageCode: request.packageCode,
      paymentId: request.paymentId,
      ...(request.teamId && { teamId: request.teamId }),
    };
    const session = await this.call('open a checkout session', () =>
      this.stripe().checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency,
                unit_amount: request.amountCents,
                product_data: { name: request.productName },
              },
            },
          ],
          client_reference_id: request.userId,
          ...(request.email && { customer_email: request.email }),
          metadata,
          // Also on the payment intent, so the charge can be traced to the user in Stripe's dashboard.
          payment_intent_data: { metadata },
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: `checkout-${request.paymentId}` },
      ),
    );
    if (!session.url)
      throw new DomainError('SERVICE_UNAVAILABLE', 'Stripe returned a checkout session without a URL');
    return { id: session.id, url: session.url };
  }

  /** A Checkout Session in subscription mode for a plan's monthly price. */
  async createSubscriptionCheckout(request: SubscriptionCheckoutRequest): Promise<CreatedCheckoutSession> {
    const metadata = { userId: request.userId, planCode: request.planCode, planSubscriptionId: request.subscriptionId };
    const session = await this.call('open a checkout session', () =>
      this.stripe().checkout.sessions.create(
        {
          mode: 'subscription',
          line_items: [{ price: request.stripePriceId, quantity: 1 }],
          client_reference_id: request.userId,
          ...(request.email && { customer_email: request.email }),
          metadata,
          // On the subscription too: its invoices carry it, so they find our row whatever the order of events.
          subscription_data: { metadata },
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: `plan-checkout-${request.subscriptionId}` },
      ),
    );
    if (!session.url)
      throw new DomainError('SERVICE_UNAVAILABLE', 'Stripe returned a checkout session without a URL');
    return { id: session.id, url: session.url };
  }

  /** A monthly recurring price for a plan's amount (the same one again for the same plan and amount). */
  async createPlanPrice(request: PlanPriceRequest): Promise<string> {
    const price = await this.call('create the plan\'s price', () =>
      this.stripe().prices.create(
        {
          currency: request.currency,
          unit_amount: request.amountCents,
          recurring: { interval: 'month' },
          product_data: { name: `Smart AI Hub ${request.planName}` },
          metadata: { planId: request.planId },
        },
        { idempotencyKey: `plan-price-${request.planId}-${request.currency}-${request.amountCents}` },
      ),
    );
    return price.id;
  }

  /** The subscription's plan line as Stripe has it now: its item and that item's price. */
  async subscriptionItem(stripeSubscriptionId: string): Promise<{ itemId: string; stripePriceId: string } | null> {
    const subscription = await this.call('read the subscription', () => this.stripe().subscriptions.retrieve(stripeSubscriptionId));
    const item = subscription.items.data[0];
    return item ? { itemId: item.id, stripePriceId: item.price.id } : null;
  }

  /**
   * Moves the subscription's item to another price now; Stripe prorates the rest of the period onto
   * the next invoice and reports the change with `customer.subscription.updated`.
   */
  async changeSubscriptionPrice(change: SubscriptionPriceChange): Promise<{ replayed: boolean }> {
    const updated = await this.call('change the subscription\'s plan', () =>
      this.stripe().subscriptions.update(
        change.stripeSubscriptionId,
        { items: [{ id: change.itemId, price: change.stripePriceId }], proration_behavior: 'create_prorations' },
        { idempotencyKey: change.idempotencyKey },
      ),
    );
    // Stripe answers a repeated key with the first answer and says so.
    return { replayed: updated.lastResponse?.headers?.['idempotent-replayed'] === 'true' };
  }

  /** Stripe ends the subscription when its period ends (and then sends `customer.subscription.deleted`). */
  async cancelAtPeriodEnd(stripeSubscriptionId: string): Promise<void> {
    await this.call('cancel the subscription', () =>
      this.stripe().subscriptions.update(stripeSubscriptionId, { cancel_at_period_end: true }),
    );
  }

  /** Ends the subscription now, without proration: its grace period is over. */
  async cancelNow(stripeSubscriptionId: string): Promise<void> {
    await this.call('cancel the subscription', () =>
      this.stripe().subscriptions.cancel(stripeSubscriptionId, { prorate: false }),
    );
  }

  /**
   * Checks the `Stripe-Signature` header against the exact bytes received (any re-serialisation
   * would break it) and the timestamp against Stripe's default tolerance, then parses the event.
   */
  verifyEvent(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    const secret = this.settings.webhookSecret;
    if (!secret)
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)',
      );
    if (!signature) throw DomainError.badInput('Missing Stripe-Signature header');
    if (!rawBody) throw DomainError.badInput('A Stripe event must be sent as application/json');
    try {
      return this.stripe().webhooks.constructEvent(rawBody, signature, secret);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw DomainError.badInput('Invalid Stripe signature');
      }
      throw error;
    }
  }

  /** Stripe's failures as domain errors: unreachable is retryable, a refusal is Stripe's. */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      // Timed out or unreachable after the SDK's retries: Stripe, not the request, is the problem.
      if (error instanceof Stripe.errors.StripeConnectionError) {
        throw new DomainError('DEPENDENCY_UNAVAILABLE', 'Stripe did not answer in time: try again shortly', { dependency: 'stripe' });
      }
      if (error instanceof Stripe.errors.StripeError) {
        throw new DomainError('SERVICE_UNAVAILABLE', `Stripe could not ${what}: try again later`, {
          stripeError: error.type,
          ...(error.code && { stripeCode: error.code }),
        });
      }
      throw error;
    }
  }

  private stripe(): Stripe {
    if (!this.client) throw new DomainError('SERVICE_UNAVAILABLE', 'Stripe is not configured');
    return this.client;
  }
}
