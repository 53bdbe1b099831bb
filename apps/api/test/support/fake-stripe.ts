import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Answer, FakeStripeBilling, FakeSubscription } from './fake-stripe-billing';

export const FAKE_STRIPE_SECRET_KEY = `sk_test_${'fake'.repeat(6)}`;
export const FAKE_STRIPE_WEBHOOK_SECRET = `whsec_${'fakesecret'.repeat(3)}`;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The form body decoded the way Stripe reads it (`a[b][0]=x` → `{a:{b:['x']}}`). */
  params: Record<string, unknown>;
}

export type CheckoutSession = Record<string, unknown> & {
  id: string;
  amount_total: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string | null;
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  status: 'open' | 'complete' | 'expired';
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/**
 * Stripe's API on 127.0.0.1, as far as the app uses it, on the same wire format: form-encoded
 * requests with a secret-key bearer, JSON objects back, errors in Stripe's shape, idempotency keys
 * honoured. It also builds and signs webhook events as Stripe does.
 */
export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, CheckoutSession>();
  /** Prices, subscriptions and their invoices. */
  readonly billing = new FakeStripeBilling();
  /** What each session was created with (Stripe keeps its line items apart from the session object). */
  private readonly sessionRequests = new Map<string, Record<string, unknown>>();
  private readonly idempotent = new Map<string, { status: number; body: object }>();
  private readonly failures: Array<{ status: number; error: object }> = [];
  /**
   * The signed events Stripe sent because of API requests (e.g. an item's new price), in order, each with
   * the webhook's answer: null until it arrives (`eventsAnswered`), and for good if the delivery failed.
   */
  readonly sentEvents: Array<{ type: string; payload: string; status: number | null }> = [];
  private readonly deliveries = new Set<Promise<void>>();
  private webhookUrl: string | null = null;
  private readonly server: Server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) =>
      send(res, 500, { error: { type: 'api_error', message: String(error) } }),
    );
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once every event sent so far has our webhook's answer, or has failed to get one. */
  async eventsAnswered(): Promise<void> {
    await Promise.all(this.deliveries);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The app's configuration pointing the real SDK at this fake. */
  env(): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: FAKE_STRIPE_WEBHOOK_SECRET,
      STRIPE_API_BASE: this.url,
    };
  }

  /** Where Stripe sends the events the API's requests cause (a webhook endpoint of the app). */
  sendEventsTo(url: string): void {
    this.webhookUrl = url;
  }

  /** The next API request is refused with this Stripe error. */
  failNext(status: number, error: { type: string; message: string; code?: string }): void {
    this.failures.push({ status, error });
  }

  sessionCreations(): RecordedRequest[] {
    return this.requests.filter(
      (request) => request.method === 'POST' && request.path === '/v1/checkout/sessions',
    );
  }

  /** The session as Stripe would show it once the buyer paid (or, for delayed methods, submitted). */
  completedSession(sessionId: string, paymentStatus: 'paid' | 'unpaid' = 'paid'): CheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    const completed: CheckoutSession = {
      ...session,
      status: 'complete',
      payment_status: paymentStatus,
      payment_intent: session.payment_intent ?? id('pi'),
    };
    this.sessions.set(sessionId, completed);
    return completed;
  }

  /** A subscription-mode session once paid: Stripe has created the customer and the active subscription. */
  completedSubscriptionSession(sessionId: string): { session: CheckoutSession; subscription: FakeSubscription } {
    const session = this.sessions.get(sessionId);
    const request = this.sessionRequests.get(sessionId);
    if (!session || !request || session['mode'] !== 'subscription') throw new Error(`no subscription session ${sessionId}`);
    const subscription = this.billing.startSubscription(request);
    const completed: CheckoutSession = {
      ...session,
      status: 'complete',
      payment_status: 'paid',
      customer: subscription.customer,
      subscription: subscription.id,
    };
    this.sessions.set(sessionId, completed);
    return { session: completed, subscription };
  }

  expiredSession(sessionId: string): CheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    return { ...session, status: 'expired', url: null };
  }

  /** A charge of the session's payment intent, `amountRefunded` refunded so far (Stripe's figure is cumulative). */
  refundedCharge(
    session: CheckoutSession,
    amountRefunded: number,
    chargeId = `ch_${session.payment_intent}`,
  ): Record<string, unknown> {
    return {
      id: chargeId,
      object: 'charge',
      amount: session.amount_total,
      amount_captured: session.amount_total,
      amount_refunded: amountRefunded,
      currency: session.currency,
      paid: true,
      captured: true,
      refunded: amountRefunded >= session.amount_total,
      payment_intent: session.payment_intent,
      status: 'succeeded',
      metadata: {},
      livemode: false,
    };
  }

  /** A webhook event around `object`, as Stripe serialises it. */
  event(type: string, object: Record<string, unknown>, eventId = id('evt')): string {
    return JSON.stringify({
      id: eventId,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    });
  }

  /** Stripe's `Stripe-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`. */
  static sign(
    payload: string,
    secret = FAKE_STRIPE_WEBHOOK_SECRET,
    timestamp = Math.floor(Date.now() / 1000),
  ): string {
    const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
    return `t=${timestamp},v1=${signature}`;
  }

  /** Posts an event to the hub's webhook endpoint as Stripe does; the status it answered. */
  static deliver(hubUrl: string, payload: string): Promise<number> {
    return FakeStripe.post(`${hubUrl}/api/v1/payments/stripe/webhook`, payload);
  }

  /** One signed delivery, with Stripe's content type: the way every event reaches a webhook endpoint. */
  private static async post(webhookUrl: string, payload: string): Promise<number> {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': FakeStripe.sign(payload) },
      body: payload,
    });
    await response.arrayBuffer();
    return response.status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const params = decodeForm(await body(req));
    this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, params });
    if (req.headers.authorization !== `Bearer ${FAKE_STRIPE_SECRET_KEY}`) {
      return send(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
      });
    }
    const failure = this.failures.shift();
    if (failure) return send(res, failure.status, { error: failure.error });
    const key = req.headers['idempotency-key'];
    const earlier = req.method === 'POST' && typeof key === 'string' ? this.idempotent.get(key) : undefined;
    if (earlier) return send(res, earlier.status, earlier.body, { 'idempotent-replayed': 'true' });
    const answer: Answer | null =
      req.method === 'POST' && url.pathname === '/v1/checkout/sessions'
        ? this.createSession(params)
        : this.billing.route(req.method ?? '', url.pathname, params);
    if (answer) {
      const { event, ...response } = answer;
      if (req.method === 'POST' && typeof key === 'string') this.idempotent.set(key, response);
      send(res, response.status, response.body);
      // Stripe sends the event after it answered, on its own schedule; a replayed request sends none.
      if (event) await this.sendEvent(event.type, event.object);
      return;
    }
    send(res, 404, {
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${url.pathname})`,
      },
    });
  }

  private async sendEvent(type: string, object: Record<string, unknown>): Promise<void> {
    const payload = this.event(type, object);
    const sent = { type, payload, status: null as number | null };
    this.sentEvents.push(sent);
    if (!this.webhookUrl) return;
    // The answer went out already: a failed delivery stays visible as a null status.
    const delivery = FakeStripe.post(this.webhookUrl, payload)
      .then((status) => {
        sent.status = status;
      })
      .catch(() => undefined)
      .finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
    await delivery;
  }

  private createSession(params: Record<string, unknown>): { status: number; body: object } {
    const invalid = (message: string, param: string) => ({
      status: 400,
      body: { error: { type: 'invalid_request_error', message, param } },
    });
    if (!['payment', 'subscription', 'setup'].includes(String(params['mode'])))
      return invalid('Invalid mode', 'mode');
    if (typeof params['success_url'] !== 'string')
      return invalid('Missing required param: success_url', 'success_url');
    const items = params['line_items'];
    if (!Array.isArray(items) || items.length === 0)
      return invalid('Missing required param: line_items', 'line_items');
    let total = 0;
    let currency = '';
    if (params['mode'] === 'subscription') {
      const priced = this.billing.subscriptionLines(items);
      if ('status' in priced) return priced;
      ({ total, currency } = priced);
    } else for (const item of items as Array<{
      quantity?: string;
      price_data?: { currency?: string; unit_amount?: string; product_data?: { name?: string } };
    }>) {
      const unitAmount = Number(item.price_data?.unit_amount);
      if (!Number.isInteger(unitAmount) || unitAmount < 1)
        return invalid('Invalid integer', 'line_items[0][price_data][unit_amount]');
      if (!item.price_data?.product_data?.name)
        return invalid('Missing required param', 'line_items[0][price_data][product_data][name]');
      currency = item.price_data.currency ?? '';
      total += unitAmount * Number(item.quantity ?? 1);
    }
    const sessionId = `cs_test_${randomBytes(24).toString('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const session: CheckoutSession = {
      id: sessionId,
      object: 'checkout.session',
      amount_subtotal: total,
      amount_total: total,
      cancel_url: params['cancel_url'] ?? null,
      client_reference_id: params['client_reference_id'] ?? null,
      created: now,
      currency,
      customer_email: params['customer_email'] ?? null,
      expires_at: now + 24 * 3600,
      livemode: false,
      metadata: (params['metadata'] as Record<string, string>) ?? {},
      mode: params['mode'],
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      success_url: params['success_url'],
      url: `https://checkout.stripe.com/c/pay/${sessionId}`,
      customer: null,
      subscription: null,
    };
    this.sessions.set(sessionId, session);
    this.sessionRequests.set(sessionId, params);
    return { status: 200, body: session };
  }
}

/** Stripe's form encoding: `line_items[0][price_data][currency]=usd`; numeric keys make arrays. */
export function decodeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const path = name.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = root;
    path.forEach((key, index) => {
      const next = path[index + 1];
      if (next === undefined) {
        node[key] = value;
        return;
      }
      node[key] ??= /^\d+$/.test(next) ? [] : {};
      node = node[key] as Record<string, unknown>;
    });
  }
  return root;
}

function send(res: ServerResponse, status: number, json: object, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers })
    .end(JSON.stringify(json));
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}
