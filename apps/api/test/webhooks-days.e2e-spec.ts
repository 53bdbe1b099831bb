import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { WebhookClock } from '../src/contexts/webhooks/application/webhook-clock';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { FakeSmtp } from './support/fake-smtp';
import { MailTestApp, startMailTestApp } from './support/mail-test-app';
import { eventually, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DISABLED_MAIL = /webhook endpoint of yours was disabled/;
/** Waits for states are generous, and so is each test: the machine is shared with a CI loop. */
const PATIENCE = 60_000;
const TEST_TIMEOUT = 180_000;

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id } secret } }`;
const TEST = `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { id messageId } }`;
const DELIVERY = `query ($id: ID!) { webhookDelivery(id: $id) { status attemptCount } }`;
const ENDPOINTS = `{ webhookEndpoints { id enabled disabledReason failingSince } }`;

interface Endpoint {
  id: string;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
}

/**
 * The rules measured in days, reached by moving the webhook rules' clock (WebhookClock) forward;
 * attempts themselves run at once (a short retry schedule of three attempts).
 */
describe('Webhooks: 5 days of failures and the 24 h secret overlap, on a moved clock', () => {
  let mail: MailTestApp;
  let api: TestApp;
  let receiver: WebhookReceiver;
  let partner: Session & { email: string };
  let offsetMs = 0;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    mail = await startMailTestApp({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_SCHEDULE_MS: '0,100,100',
    });
    api = mail.api;
    jest.spyOn(api.app.get(WebhookClock), 'now').mockImplementation(() => new Date(Date.now() + offsetMs));
    partner = await createSignedInUser(api);
  }, TEST_TIMEOUT);

  beforeEach(() => {
    offsetMs = 0;
  });

  afterAll(async () => {
    await mail?.close();
    await receiver?.stop();
  });

  const call = async <T>(query: string, variables: Record<string, unknown>) =>
    dataOf(await gql<T>(api.url, query, variables, partner.accessToken));
  const createEndpoint = async (path: string) => {
    const { endpoint, secret } = (
      await call<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(CREATE, {
        input: { url: `${receiver.url}${path}` },
      })
    ).createWebhookEndpoint;
    return { id: endpoint.id, secret };
  };
  const endpoint = async (id: string): Promise<Endpoint | undefined> =>
    (await call<{ webhookEndpoints: Endpoint[] }>(ENDPOINTS, {})).webhookEndpoints.find((e) => e.id === id);
  /** Sends a test event and waits until its delivery is finished (delivered, or failed for good). */
  const sendTestAndFinish = async (endpointId: string) => {
    const sent = (await call<{ sendTestWebhook: { id: string; messageId: string } }>(TEST, { id: endpointId }))
      .sendTestWebhook;
    const finished = await eventually(
      async () =>
        (await call<{ webhookDelivery: { status: string; attemptCount: number } }>(DELIVERY, { id: sent.id }))
          .webhookDelivery,
      (d) => d.status !== 'PENDING',
      PATIENCE,
    );
    return { ...sent, ...finished };
  };
  const failing = (statuses = 20) => Array.from({ length: statuses }, () => 500);

  it('disables an endpoint whose every attempt failed over 5 days and mails its owner once', async () => {
    const path = `/down-${randomUUID()}`;
    receiver.script(path, failing(100));
    const { id } = await createEndpoint(path);

    // Day 0: every attempt of a message fails. The failure clock starts; the endpoint stays enabled.
    expect(await sendTestAndFinish(id)).toMatchObject({ status: 'FAILED', attemptCount: 3 });
    const started = await endpoint(id);
    expect(started).toMatchObject({ enabled: true, disabledReason: null, failingSince: expect.any(String) });
    const failingSince = Date.parse(started?.failingSince ?? '');

    // Day 3: still failing, not yet 5 days.
    offsetMs = 3 * DAY;
    expect(await sendTestAndFinish(id)).toMatchObject({ status: 'FAILED', attemptCount: 3 });
    expect(await endpoint(id)).toMatchObject({ enabled: true, failingSince: started?.failingSince });

    // 5 days and a minute after the first failure: three messages fail together; the first failed attempt disables.
    offsetMs = 5 * DAY + 60_000;
    const last = await Promise.all([sendTestAndFinish(id), sendTestAndFinish(id), sendTestAndFinish(id)]);
    expect(last.map((d) => d.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(Date.now() + offsetMs - failingSince).toBeGreaterThan(5 * DAY);
    expect(await endpoint(id)).toMatchObject({ enabled: false, disabledReason: 'Every attempt failed for 5 days' });
    expect(receiver.at(path).length).toBeGreaterThanOrEqual(3 + 3 + 1);
    const attemptsSoFar = receiver.at(path).length;

    // Its owner is mailed, once: one stored event, one mail, nothing left to send.
    const db = api.app.get(DataSource);
    const events = (await db.query(
      `SELECT id FROM outbox_event WHERE type = 'webhooks.endpoint_disabled' AND payload ->> 'endpointId' = $1`,
      [id],
    )) as Array<{ id: string }>;
    expect(events).toHaveLength(1);
    const received = await mail.smtp.waitFor(partner.email, DISABLED_MAIL, PATIENCE);
    expect(FakeSmtp.decoded(received)).toContain(`${receiver.url}${path}: Every attempt failed for 5 days`);
    const mailQueue = api.app.get<Queue>(getQueueToken(QUEUES.mail));
    const pendingMail = await eventually(
      async () => {
        const counts = await mailQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const unpublished = (await db.query(
          `SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL`,
        )) as Array<{ n: number }>;
        return Object.values(counts).reduce((sum, n) => sum + n, 0) + (unpublished[0]?.n ?? 0);
      },
      (left) => left === 0,
      PATIENCE,
    );
    expect(pendingMail).toBe(0);
    expect(mail.smtp.messages.filter((m) => m.to.includes(partner.email) && DISABLED_MAIL.test(m.subject))).toHaveLength(1);

    // Disabled: no more test events, and nothing more reaches the receiver.
    const refused = await gql(api.url, TEST, { id }, partner.accessToken);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(receiver.at(path)).toHaveLength(attemptsSoFar);
  }, TEST_TIMEOUT);

  it('keeps an endpoint enabled when a delivery succeeded in between: the failure clock starts again', async () => {
    const path = `/flaky-${randomUUID()}`;
    receiver.script(path, failing(3));
    const { id } = await createEndpoint(path);
    expect(await sendTestAndFinish(id)).toMatchObject({ status: 'FAILED' });
    expect((await endpoint(id))?.failingSince).not.toBeNull();

    offsetMs = 3 * DAY;
    expect(await sendTestAndFinish(id)).toMatchObject({ status: 'DELIVERED' });
    expect((await endpoint(id))?.failingSince).toBeNull();

    offsetMs = 5 * DAY + 60_000;
    receiver.script(path, failing(3));
    expect(await sendTestAndFinish(id)).toMatchObject({ status: 'FAILED', attemptCount: 3 });
    const after = await endpoint(id);
    expect(after).toMatchObject({ enabled: true, disabledReason: null });
    expect(Date.parse(after?.failingSince ?? '')).toBeGreaterThan(Date.now() + 4 * DAY);
  }, TEST_TIMEOUT);

  it('signs with both secrets for 24 h after a rotation, then with the new one only', async () => {
    const path = `/rotate-${randomUUID()}`;
    const { id, secret: old } = await createEndpoint(path);
    const rotated = (
      await call<{ rotateWebhookSecret: { secret: string } }>(
        `mutation ($id: ID!) { rotateWebhookSecret(endpointId: $id) { secret } }`,
        { id },
      )
    ).rotateWebhookSecret.secret;
    const signedWith = async () => {
      const sent = await sendTestAndFinish(id);
      expect(sent.status).toBe('DELIVERED');
      const request = receiver.at(path).find((r) => r.headers['webhook-id'] === sent.messageId);
      if (!request) throw new Error(`delivery ${sent.messageId} did not arrive`);
      const verifies = (secret: string) => {
        try {
          new Webhook(secret).verify(request.body, request.headers);
          return true;
        } catch {
          return false;
        }
      };
      return {
        signatures: request.headers['webhook-signature']?.split(' ').length,
        old: verifies(old),
        rotated: verifies(rotated),
      };
    };

    offsetMs = 24 * HOUR - 60_000;
    expect(await signedWith()).toEqual({ signatures: 2, old: true, rotated: true });
    offsetMs = 24 * HOUR + 60_000;
    expect(await signedWith()).toEqual({ signatures: 1, old: false, rotated: true });
  }, TEST_TIMEOUT);
});
