import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { createPartnerKey, fund, partner } from './support/billing-fixtures';
import { FakeMediaOpenAI } from './support/fake-media-openai';
import { FakeSmtp } from './support/fake-smtp';
import { FakeStripe } from './support/fake-stripe';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

interface Event {
  type: string;
  data: Record<string, unknown>;
  orderingKey: string;
  sequence: number;
  webhookId: string;
}

/**
 * A user's life (registration, verification, a Stripe purchase, partner spending down to low and
 * empty) reaches a platform-wide endpoint as one verified event of each kind, in sequence order.
 */
describe('Webhooks: events from the other contexts, end to end', () => {
  const stripe = new FakeStripe();
  const smtp = new FakeSmtp();
  const receiver = new WebhookReceiver();
  const media = new FakeMediaOpenAI();
  const mediaDir = mkdtempSync(join(tmpdir(), 'webhooks-media-'));
  let api: TestApp;

  beforeAll(async () => {
    await Promise.all([stripe.start(), smtp.start(), receiver.start(), media.start()]);
    api = await startTestApp({
      ...stripe.env(),
      ...media.env(),
      MEDIA_STORAGE_DIR: mediaDir,
      MEDIA_POLL_INTERVAL_MS: '50',
      SMTP_URL: smtp.url,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    });
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all([stripe.stop(), smtp.stop(), receiver.stop(), media.stop()]);
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it('registration, verification, a purchase and spending produce each event once, verified and numbered', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const path = `/platform-${randomUUID()}`;
    const { secret } = dataOf(
      await gql<{ createWebhookEndpoint: { secret: string } }>(
        api.url,
        'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        { input: { url: `${receiver.url}${path}`, platformWide: true } },
        admin.accessToken,
      ),
    ).createWebhookEndpoint;
    const verifier = new Webhook(secret);
    const eventsOf = (userId: string): Event[] =>
      receiver
        .at(path)
        .map((request) => ({
          ...(verifier.verify(request.body, request.headers) as Omit<Event, 'webhookId'>),
          webhookId: request.headers['webhook-id'] as string,
        }))
        .filter((event) => event.orderingKey === userId);

    // Registration and verification through the real mail round trip.
    const email = `events-${randomUUID().slice(0, 8)}@example.com`;
    const registered = dataOf(
      await gql<{ register: { id: string } }>(
        api.url,
        'mutation ($input: RegisterInput!) { register(input: $input) { id } }',
        {
          input: { email, password: 'Str0ng-Passphrase', name: 'Events' },
        },
      ),
    ).register;
    const userId = registered.id;
    const otp = /\b(\d{6})\b/.exec((await smtp.waitFor(email, /verification code/)).subject)?.[1];
    const verified = dataOf(
      await gql<{ verifyEmail: { accessToken: string } }>(
        api.url,
        'mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { accessToken } }',
        {
          input: { email, otp },
        },
      ),
    ).verifyEmail;
    await eventually(
      async () => eventsOf(userId),
      (events) => events.some((e) => e.type === 'credit.granted'),
      20_000,
    );

    // A Starter purchase through the fake Stripe: checkout, then Stripe's signed event.
    const started = dataOf(
      await gql<{ createCheckoutSession: { sessionId: string } }>(
        api.url,
        'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId } }',
        {
          input: { package: 'starter', successUrl: 'https://hub.test/ok', cancelUrl: 'https://hub.test/no' },
        },
        verified.accessToken,
      ),
    ).createCheckoutSession;
    const payload = stripe.event('checkout.session.completed', stripe.completedSession(started.sessionId));
    const paid = await fetch(`${api.url}/api/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': FakeStripe.sign(payload) },
      body: payload,
    });
    expect(paid.status).toBe(200);
    await eventually(
      async () => eventsOf(userId),
      (events) => events.some((e) => e.type === 'payment.succeeded'),
      20_000,
    );

    // A partner spends all but 5 credits (below the threshold of 10: low), then the rest (depleted).
    const balance = dataOf(
      await gql<{ creditBalance: { available: number } }>(
        api.url,
        '{ creditBalance { available } }',
        undefined,
        verified.accessToken,
      ),
    ).creditBalance.available;
    const key = await createPartnerKey(api);
    expect(
      (await partner(api, 'deduct', { service: 'render', cost: balance - 5 }, { bearer: key, userId }))
        .status,
    ).toBe(200);
    expect(
      (await partner(api, 'deduct', { service: 'render', cost: 5 }, { bearer: key, userId })).status,
    ).toBe(200);

    const expected = [
      'user.created',
      'user.email_verified',
      'credit.granted',
      'payment.succeeded',
      'credit.granted',
      'service.completed',
      'credit.low',
      'service.completed',
      'credit.depleted',
    ];
    const events = await eventually(
      async () => eventsOf(userId),
      (all) => all.length >= expected.length,
      30_000,
    );
    const byType = (type: string) => events.filter((e) => e.type === type);
    expect(byType('user.created')).toHaveLength(1);
    expect(byType('user.email_verified')).toHaveLength(1);
    expect(byType('payment.succeeded')).toHaveLength(1);
    expect(byType('credit.low')).toHaveLength(1);
    expect(byType('credit.depleted')).toHaveLength(1);
    // Deliveries run concurrently and may arrive in any order; the sequence number tells the order.
    const spent = byType('service.completed').sort((a, b) => a.sequence - b.sequence);
    expect(spent.map((e) => e.data['credits'])).toEqual([balance - 5, 5]);
    expect(
      byType('credit.granted')
        .map((e) => e.data['kind'])
        .sort(),
    ).toEqual(['purchase', 'welcome']);
    expect(events).toHaveLength(expected.length);
    // One webhook-id per event; sequence numbers 1..n for the user, each once.
    expect(new Set(events.map((e) => e.webhookId)).size).toBe(events.length);
    expect(events.map((e) => e.sequence).sort((a, b) => a - b)).toEqual(expected.map((_, i) => i + 1));
    // Ids and figures, never the e-mail address.
    expect(JSON.stringify(events)).not.toContain(email);
  });

  it('a Stripe refund reaches the endpoint as one payment.refunded', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const path = `/refunds-${randomUUID()}`;
    const { secret } = dataOf(
      await gql<{ createWebhookEndpoint: { secret: string } }>(
        api.url,
        'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        { input: { url: `${receiver.url}${path}`, platformWide: true, eventTypes: ['payment.refunded'] } },
        admin.accessToken,
      ),
    ).createWebhookEndpoint;
    const buyer = await createSignedInUser(api);
    const started = dataOf(
      await gql<{ createCheckoutSession: { sessionId: string; paymentId: string } }>(
        api.url,
        'mutation ($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId paymentId } }',
        {
          input: { package: 'starter', successUrl: 'https://hub.test/ok', cancelUrl: 'https://hub.test/no' },
        },
        buyer.accessToken,
      ),
    ).createCheckoutSession;
    const session = stripe.completedSession(started.sessionId);
    for (const payload of [
      stripe.event('checkout.session.completed', session),
      stripe.event('charge.refunded', stripe.refundedCharge(session, 500)),
    ]) {
      const response = await fetch(`${api.url}/api/v1/payments/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': FakeStripe.sign(payload) },
        body: payload,
      });
      expect(response.status).toBe(200);
    }
    const requests = await eventually(
      async () => receiver.at(path),
      (r) => r.length >= 1,
      20_000,
    );
    expect(requests).toHaveLength(1);
    const event = new Webhook(secret).verify(requests[0]?.body ?? '', requests[0]?.headers ?? {}) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(event).toMatchObject({
      type: 'payment.refunded',
      data: { userId: buyer.userId, paymentId: started.paymentId },
    });
  });

  it('a finished media job reaches the endpoint as one media.job.succeeded', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const path = `/media-${randomUUID()}`;
    const { endpoint, secret } = dataOf(
      await gql<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(
        api.url,
        'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } secret } }',
        { input: { url: `${receiver.url}${path}`, platformWide: true, eventTypes: ['media.job.succeeded', 'media.job.failed'] } },
        admin.accessToken,
      ),
    ).createWebhookEndpoint;
    const user = await createSignedInUser(api);
    await fund(api, user.userId, 50);
    const { id } = dataOf(
      await gql<{ createImageJob: { id: string } }>(
        api.url,
        'mutation ($input: CreateImageJobInput!) { createImageJob(input: $input) { id } }',
        { input: { prompt: 'a lighthouse at dawn', size: '1024x1024' } },
        user.accessToken,
      ),
    ).createImageJob;
    const requests = await eventually(
      async () => receiver.at(path),
      (r) => r.length >= 1,
      30_000,
    );
    const event = new Webhook(secret).verify(requests[0]?.body ?? '', requests[0]?.headers ?? {}) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(event).toMatchObject({ type: 'media.job.succeeded', data: { jobId: id, userId: user.userId } });
    // One message for the job's one stored event; its status is final.
    const deliveries = (await api.app
      .get(DataSource)
      .query(`SELECT event_type FROM webhook_delivery WHERE endpoint_id = $1`, [endpoint.id])) as Array<{ event_type: string }>;
    expect(deliveries).toEqual([{ event_type: 'media.job.succeeded' }]);
    const status = dataOf(
      await gql<{ mediaJob: { status: string } }>(api.url, 'query ($id: ID!) { mediaJob(id: $id) { status } }', { id }, user.accessToken),
    ).mediaJob.status;
    expect(status).toBe('SUCCEEDED');
    expect(receiver.at(path)).toHaveLength(1);
  });
});
