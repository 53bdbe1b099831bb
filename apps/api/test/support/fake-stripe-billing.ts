import { randomBytes } from 'node:crypto';

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const DAY = 24 * 3600;
/** Stripe's monthly periods vary with the calendar; 30 days is what these tests need. */
const MONTH = 30 * DAY;

export type StripeObject = Record<string, unknown> & { id: string };

export interface FakePrice extends StripeObject {
  unit_amount: number;
  currency: string;
  product: string;
}

export interface FakeSubscription extends StripeObject {
  status: string;
  customer: string;
  metadata: Record<string, string>;
  cancel_at_period_end: boolean;
  items: { object: 'list'; data: Array<StripeObject & { price: FakePrice; current_period_start: number; current_period_end: number; quantity: number }> };
}

export interface Answer {
  status: number;
  body: object;
  /** The webhook event Stripe sends because of this request. */
  event?: { type: string; object: StripeObject };
}

const invalid = (message: string, param?: string, code?: string): Answer => ({
  status: 400,
  body: { error: { type: 'invalid_request_error', message, ...(param && { param }), ...(code && { code }) } },
});

/**
 * Stripe Billing as far as the app uses it: recurring prices, subscriptions opened by Checkout in
 * subscription mode, their invoices (API version 2026-10-28: a line's price under
 * `pricing.price_details`, the subscription under `parent.subscription_details`, periods on the
 * subscription items), plan changes prorated by the second as Stripe does, and cancellation.
 */
export class FakeStripeBilling {
  readonly prices = new Map<string, FakePrice>();
  readonly subscriptions = new Map<string, FakeSubscription>();

  /** `POST /v1/prices`, `GET`, `POST` and `DELETE /v1/subscriptions/:id`; null: not a billing route. */
  route(method: string, path: string, params: Record<string, unknown>): Answer | null {
    if (method === 'POST' && path === '/v1/prices') return this.createPrice(params);
    const subscription = /^\/v1\/subscriptions\/([^/]+)$/.exec(path);
    if (!subscription) return null;
    const found = this.subscriptions.get(decodeURIComponent(subscription[1]!));
    if (!found) return { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such subscription: '${subscription[1]}'` } } };
    if (method === 'GET') return { status: 200, body: found };
    if (method === 'POST') {
      if (params['items'] !== undefined) return this.updateItems(found, params);
      if (params['cancel_at_period_end'] !== undefined) found.cancel_at_period_end = params['cancel_at_period_end'] === 'true';
      return { status: 200, body: found };
    }
    if (method === 'DELETE') {
      if (found.status === 'canceled') return invalid(`No such subscription: '${found.id}'`, undefined, 'resource_missing');
      Object.assign(found, { status: 'canceled', canceled_at: now(), ended_at: now() });
      return { status: 200, body: found };
    }
    return null;
  }

  /** Checkout's subscription mode: each line names an existing recurring price. */
  subscriptionLines(items: unknown[]): Answer | { total: number; currency: string } {
    let total = 0;
    let currency = '';
    for (const [index, item] of (items as Array<{ price?: string; quantity?: string }>).entries()) {
      const price = item.price ? this.prices.get(item.price) : undefined;
      if (!price) return invalid(`No such price: '${item.price ?? ''}'`, `line_items[${index}][price]`, 'resource_missing');
      if (!price['recurring']) return invalid('You must provide at least one recurring price in `subscription` mode', `line_items[${index}][price]`);
      total += price.unit_amount * Number(item.quantity ?? 1);
      currency = price.currency;
    }
    return { total, currency };
  }

  /** What Stripe creates when a subscription-mode checkout is paid: a customer and an active subscription. */
  startSubscription(request: Record<string, unknown>): FakeSubscription {
    const lineItems = request['line_items'] as Array<{ price: string; quantity?: string }>;
    const price = this.prices.get(lineItems[0]!.price)!;
    const start = now();
    const subscriptionId = id('sub');
    const subscription: FakeSubscription = {
      id: subscriptionId,
      object: 'subscription',
      billing_cycle_anchor: start,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      collection_method: 'charge_automatically',
      created: start,
      currency: price.currency,
      customer: id('cus'),
      ended_at: null,
      items: {
        object: 'list',
        data: [
          {
            id: id('si'),
            object: 'subscription_item',
            created: start,
            current_period_start: start,
            current_period_end: start + MONTH,
            metadata: {},
            price,
            quantity: Number(lineItems[0]!.quantity ?? 1),
            subscription: subscriptionId,
          },
        ],
      },
      latest_invoice: null,
      livemode: false,
      metadata: ((request['subscription_data'] as { metadata?: Record<string, string> } | undefined)?.metadata) ?? {},
      start_date: start,
      status: 'active',
    };
    this.subscriptions.set(subscriptionId, subscription);
    return subscription;
  }

  /** The invoice of the subscription's current period (its first, or a renewal's), paid or not. */
  periodInvoice(subscriptionId: string, options: { billingReason: 'subscription_create' | 'subscription_cycle'; paid: boolean }): StripeObject {
    const subscription = this.subscription(subscriptionId);
    const item = subscription.items.data[0]!;
    return this.invoice(subscription, options.billingReason, options.paid, [
      this.line(subscription, item.price, item.price.unit_amount * item.quantity, item.quantity, item.current_period_start, item.current_period_end, false),
    ]);
  }

  /** Moves the subscription to its next month (what Stripe does at the period's end) and returns its new state. */
  renew(subscriptionId: string): FakeSubscription {
    const item = this.subscription(subscriptionId).items.data[0]!;
    item.current_period_start = item.current_period_end;
    item.current_period_end += MONTH;
    return this.subscription(subscriptionId);
  }

  /**
   * A plan change at `fraction` of the way through the period, prorated as Stripe does with
   * `proration_behavior=always_invoice`: the unused time of the old price credited, the rest of the
   * period on the new price charged, on one invoice. Returns the updated subscription and that invoice.
   */
  changePrice(subscriptionId: string, priceId: string, fraction: number): { subscription: FakeSubscription; invoice: StripeObject } {
    const subscription = this.subscription(subscriptionId);
    const item = subscription.items.data[0]!;
    const next = this.prices.get(priceId)!;
    const length = item.current_period_end - item.current_period_start;
    const changedAt = item.current_period_start + Math.round(length * fraction);
    const remaining = (item.current_period_end - changedAt) / length;
    const lines = [
      this.line(subscription, item.price, -Math.round(item.price.unit_amount * item.quantity * remaining), item.quantity, changedAt, item.current_period_end, true),
      this.line(subscription, next, Math.round(next.unit_amount * item.quantity * remaining), item.quantity, changedAt, item.current_period_end, true),
    ];
    item.price = next;
    return { subscription, invoice: this.invoice(subscription, 'subscription_update', true, lines) };
  }

  /** The subscription as `customer.subscription.updated` / `.deleted` carry it. */
  subscription(subscriptionId: string): FakeSubscription {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`no subscription ${subscriptionId}`);
    return subscription;
  }

  /** Stripe ends a subscription cancelled at period end when the period ends. */
  endSubscription(subscriptionId: string): FakeSubscription {
    const subscription = this.subscription(subscriptionId);
    Object.assign(subscription, { status: 'canceled', canceled_at: now(), ended_at: subscription.items.data[0]!.current_period_end });
    return subscription;
  }

  /**
   * `POST /v1/subscriptions/:id` with `items[0][id]` and `items[0][price]`: the item moves to the new
   * price now. With `create_prorations` (Stripe's default) the prorations wait for the next invoice,
   * which the tests build themselves; Stripe reports the change with `customer.subscription.updated`.
   */
  private updateItems(subscription: FakeSubscription, params: Record<string, unknown>): Answer {
    const items = params['items'];
    if (!Array.isArray(items) || items.length === 0) return invalid('Invalid array', 'items');
    const behavior = params['proration_behavior'] ?? 'create_prorations';
    if (!['create_prorations', 'always_invoice', 'none'].includes(String(behavior))) return invalid('Invalid proration_behavior', 'proration_behavior');
    if (subscription.status === 'canceled') return invalid('A canceled subscription can only update its cancellation_details and metadata.');
    for (const [index, change] of (items as Array<{ id?: string; price?: string }>).entries()) {
      const item = subscription.items.data.find((candidate) => candidate.id === change.id);
      if (!item) return invalid(`Invalid subscription_item id: ${change.id ?? ''}`, `items[${index}][id]`, 'resource_missing');
      const price = change.price ? this.prices.get(change.price) : undefined;
      if (!price) return invalid(`No such price: '${change.price ?? ''}'`, `items[${index}][price]`, 'resource_missing');
      if (!price['recurring']) return invalid('The price specified is not recurring', `items[${index}][price]`);
      item.price = price;
    }
    return { status: 200, body: subscription, event: { type: 'customer.subscription.updated', object: structuredClone(subscription) } };
  }

  private createPrice(params: Record<string, unknown>): Answer {
    const amount = Number(params['unit_amount']);
    if (!Number.isInteger(amount) || amount < 0) return invalid('Invalid integer', 'unit_amount');
    if (typeof params['currency'] !== 'string') return invalid('Missing required param: currency.', 'currency');
    const productData = params['product_data'] as { name?: string } | undefined;
    if (!params['product'] && !productData?.name) return invalid('Missing required param: product_data[name].', 'product_data[name]');
    const recurring = params['recurring'] as { interval?: string; interval_count?: string } | undefined;
    const price: FakePrice = {
      id: id('price'),
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      created: now(),
      currency: params['currency'],
      livemode: false,
      lookup_key: null,
      metadata: (params['metadata'] as Record<string, string>) ?? {},
      nickname: null,
      product: (params['product'] as string) ?? id('prod'),
      recurring: recurring
        ? { interval: recurring.interval, interval_count: Number(recurring.interval_count ?? 1), meter: null, usage_type: 'licensed' }
        : null,
      tax_behavior: 'unspecified',
      type: recurring ? 'recurring' : 'one_time',
      unit_amount: amount,
      unit_amount_decimal: String(amount),
    };
    this.prices.set(price.id, price);
    return { status: 200, body: price };
  }

  private line(subscription: FakeSubscription, price: FakePrice, amount: number, quantity: number, start: number, end: number, proration: boolean): StripeObject {
    return {
      id: id('il'),
      object: 'line_item',
      amount,
      currency: price.currency,
      description: proration ? `${amount < 0 ? 'Unused' : 'Remaining'} time on ${price.id}` : `${quantity} × ${price.id}`,
      discount_amounts: [],
      discountable: !proration,
      discounts: [],
      invoice: null,
      livemode: false,
      metadata: {},
      parent: {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: proration ? id('ii') : null,
          proration,
          proration_details: proration ? { credited_items: null } : null,
          subscription: subscription.id,
          subscription_item: subscription.items.data[0]!.id,
        },
      },
      period: { start, end },
      pretax_credit_amounts: [],
      pricing: { type: 'price_details', price_details: { price: price.id, product: price.product }, unit_amount_decimal: String(price.unit_amount) },
      quantity,
      subtotal: amount,
      taxes: [],
    };
  }

  private invoice(subscription: FakeSubscription, billingReason: string, paid: boolean, lines: StripeObject[]): StripeObject {
    const invoiceId = id('in');
    const total = lines.reduce((sum, line) => sum + Number(line['amount']), 0);
    for (const line of lines) line['invoice'] = invoiceId;
    const due = Math.max(total, 0);
    return {
      id: invoiceId,
      object: 'invoice',
      amount_due: due,
      amount_paid: paid ? due : 0,
      amount_remaining: paid ? 0 : due,
      attempt_count: 1,
      attempted: true,
      billing_reason: billingReason,
      collection_method: 'charge_automatically',
      created: now(),
      currency: subscription.currency,
      customer: subscription.customer,
      lines: { object: 'list', data: lines, has_more: false, total_count: lines.length, url: `/v1/invoices/${invoiceId}/lines` },
      livemode: false,
      metadata: {},
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
      },
      period_end: now(),
      period_start: now(),
      status: paid ? 'paid' : 'open',
      status_transitions: { finalized_at: now(), marked_uncollectible_at: null, paid_at: paid ? now() : null, voided_at: null },
      subtotal: total,
      total,
    };
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
