import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { getQueueToken } from '@nestjs/bullmq';
import { webhookBody } from '@sah/domain';
import { WEBHOOK_JOBS, WEBHOOK_QUEUE, WebhookMessageRepository } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id url eventTypes enabled platformWide } secret } }`;
const TEST = `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { id messageId status } }`;
const DELIVERY = `query ($id: ID!) { webhookDelivery(id: $id) { id status attemptCount messageId
  attempts { round attempt responseStatus requestHeaders error } } }`;
const ENDPOINTS = `{ webhookEndpoints { id enabled disabledReason successRate } }`;

interface Created {
  id: string;
  secret: string;
}

describe('Webhooks: signed delivery, retries, rotation, owner scoping', () => {
  let api: TestApp;
  let receiver: WebhookReceiver;
  let partner: Session;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    api = await startTestApp({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_SCHEDULE_MS: '0,100,100,100,100,100,100,100,100,100',
    });
    partner = await createSignedInUser(api);
  });

  afterAll(async () => {
    await api?.close();
    await receiver?.stop();
  });

  const createEndpoint = async (
    path: string,
    session: Session = partner,
    extra: Record<string, unknown> = {},
  ): Promise<Created> => {
    const created = dataOf(
      await gql<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(
        api.url,
        CREATE,
        { input: { url: `${receiver.url}${path}`, description: 'test', ...extra } },
        session.accessToken,
      ),
    ).createWebhookEndpoint;
    return { id: created.endpoint.id, secret: created.secret };
  };
  const firstAt = async (path: string) => {
    const [request] = await eventually(
      async () => receiver.at(path),
      (r) => r.length >= 1,
      20_000,
    );
    if (!request) throw new Error(`nothing arrived at ${path}`);
    return request;
  };
  const sendTest = async (endpointId: string) =>
    dataOf(
      await gql<{ sendTestWebhook: { id: string; messageId: string } }>(
        api.url,
        TEST,
        { id: endpointId },
        partner.accessToken,
      ),
    ).sendTestWebhook;
  const delivery = async (id: string) =>
    dataOf(
      await gql<{
        webhookDelivery: {
          status: string;
          attemptCount: number;
          messageId: string;
          attempts: Array<{ responseStatus: number | null; requestHeaders: string }>;
        };
      }>(api.url, DELIVERY, { id }, partner.accessToken),
    ).webhookDelivery;

  it('delivers a test event that the official standardwebhooks verifier accepts, and rejects tampering or an old timestamp', async () => {
    const path = `/ok-${randomUUID()}`;
    const endpoint = await createEndpoint(path);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const sent = await sendTest(endpoint.id);
    const request = await firstAt(path);
    const verifier = new Webhook(endpoint.secret);
    const payload = verifier.verify(request.body, request.headers) as {
      type: string;
      data: { endpointId: string };
      sequence: number;
    };
    expect(payload).toMatchObject({
      type: 'webhook.test',
      data: { endpointId: endpoint.id },
      orderingKey: partner.userId,
    });
    expect(request.headers['webhook-id']).toBe(sent.messageId);
    expect(() =>
      verifier.verify(request.body.replace('webhook.test', 'webhook.tesT'), request.headers),
    ).toThrow();
    expect(() =>
      verifier.verify(request.body, signedSixMinutesAgo(verifier, sent.messageId, request)),
    ).toThrow(/too old/i);
    expect(
      (
        await eventually(
          () => delivery(sent.id),
          (d) => d.status === 'DELIVERED',
          10_000,
        )
      ).status,
    ).toBe('DELIVERED');
  });

  // svix 1.x (2.x needs Node 22): Svix's own verifier, as a partner already on Svix would run it.
  it("delivers a test event that svix's verifier accepts, and rejects tampering or an old timestamp", async () => {
    const path = `/svix-${randomUUID()}`;
    const endpoint = await createEndpoint(path);
    const sent = await sendTest(endpoint.id);
    const request = await firstAt(path);
    const verifier = new SvixWebhook(endpoint.secret);
    expect(verifier.verify(request.body, request.headers)).toMatchObject({
      type: 'webhook.test',
      data: { endpointId: endpoint.id },
    });
    expect(() => verifier.verify(request.body.replace(endpoint.id, randomUUID()), request.headers)).toThrow(
      /signature/i,
    );
    expect(() =>
      verifier.verify(request.body, signedSixMinutesAgo(verifier, sent.messageId, request)),
    ).toThrow(/too old/i);
  });

  it('retries a receiver answering 500 three times: four attempts logged, then delivered, same webhook-id', async () => {
    const path = `/flaky-${randomUUID()}`;
    receiver.script(path, [500, 500, 500]);
    const endpoint = await createEndpoint(path);
    const sent = await sendTest(endpoint.id);
    const done = await eventually(
      () => delivery(sent.id),
      (d) => d.status === 'DELIVERED',
      30_000,
    );
    expect(done.status).toBe('DELIVERED');
    expect(done.attempts.map((a) => a.responseStatus)).toEqual([500, 500, 500, 200]);
    expect(new Set(receiver.at(path).map((r) => r.headers['webhook-id']))).toEqual(new Set([sent.messageId]));
    expect(receiver.at(path)).toHaveLength(4);
  });

  it('disables an endpoint that answers 410', async () => {
    const path = `/gone-${randomUUID()}`;
    receiver.script(path, [410]);
    const endpoint = await createEndpoint(path);
    const sent = await sendTest(endpoint.id);
    expect(
      (
        await eventually(
          () => delivery(sent.id),
          (d) => d.status === 'FAILED',
          20_000,
        )
      ).attemptCount,
    ).toBe(1);
    const endpoints = dataOf(
      await gql<{ webhookEndpoints: Array<{ id: string; enabled: boolean; disabledReason: string }> }>(
        api.url,
        ENDPOINTS,
        {},
        partner.accessToken,
      ),
    );
    expect(endpoints.webhookEndpoints.find((e) => e.id === endpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining('410'),
    });
    // Its owner is mailed once, through the outbox (the mail queue renders it).
    const announced = (await api.app
      .get(DataSource)
      .query(
        `SELECT payload FROM outbox_event WHERE type = 'webhooks.endpoint_disabled' AND payload ->> 'endpointId' = $1`,
        [endpoint.id],
      )) as Array<{
      payload: Record<string, unknown>;
    }>;
    expect(announced.map((row) => row.payload)).toEqual([
      {
        userId: partner.userId,
        endpointId: endpoint.id,
        url: `${receiver.url}${path}`,
        reason: 'The endpoint answered 410 Gone',
      },
    ]);
  });

  it('during a secret rotation both the old and the new secret verify the delivery', async () => {
    const path = `/rotate-${randomUUID()}`;
    const endpoint = await createEndpoint(path);
    const rotated = dataOf(
      await gql<{ rotateWebhookSecret: { secret: string } }>(
        api.url,
        `mutation ($id: ID!) { rotateWebhookSecret(endpointId: $id) { secret } }`,
        { id: endpoint.id },
        partner.accessToken,
      ),
    ).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(endpoint.secret);
    await sendTest(endpoint.id);
    const request = await firstAt(path);
    expect(request.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(rotated.secret).verify(request.body, request.headers)).toMatchObject({
      type: 'webhook.test',
    });
    expect(new Webhook(endpoint.secret).verify(request.body, request.headers)).toMatchObject({
      type: 'webhook.test',
    });
    for (const secret of [rotated.secret, endpoint.secret])
      expect(new SvixWebhook(secret).verify(request.body, request.headers)).toMatchObject({
        type: 'webhook.test',
      });
  });

  it('replays a delivery with the same webhook-id', async () => {
    const path = `/replay-${randomUUID()}`;
    const endpoint = await createEndpoint(path);
    const sent = await sendTest(endpoint.id);
    await eventually(
      () => delivery(sent.id),
      (d) => d.status === 'DELIVERED',
      20_000,
    );
    const replayed = await gql(
      api.url,
      `mutation ($id: ID!) { replayWebhookDelivery(deliveryId: $id) { id } }`,
      { id: sent.id },
      partner.accessToken,
    );
    expect(replayed.errors).toBeUndefined();
    const requests = await eventually(
      async () => receiver.at(path),
      (r) => r.length === 2,
      20_000,
    );
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([sent.messageId, sent.messageId]);
  });

  it('recovers failed deliveries in the background and lists deliveries by endpoint, type, status and time', async () => {
    const path = `/down-${randomUUID()}`;
    receiver.script(
      path,
      Array.from({ length: 10 }, () => 503),
    );
    const endpoint = await createEndpoint(path);
    const since = new Date(Date.now() - 1_000).toISOString();
    const sent = await sendTest(endpoint.id);
    const failed = await eventually(
      () => delivery(sent.id),
      (d) => d.status === 'FAILED',
      30_000,
    );
    expect(failed.attempts).toHaveLength(10);

    const LIST = `query ($f: WebhookDeliveriesFilter) { webhookDeliveries(filter: $f) { items { id status eventType } pageInfo { total } } }`;
    const list = async (f: Record<string, unknown>) =>
      dataOf(
        await gql<{ webhookDeliveries: { items: Array<{ id: string }>; pageInfo: { total: number } } }>(
          api.url,
          LIST,
          { f },
          partner.accessToken,
        ),
      ).webhookDeliveries;
    expect(
      (
        await list({ endpointId: endpoint.id, status: 'FAILED', eventType: 'webhook.test', from: since })
      ).items.map((d) => d.id),
    ).toEqual([sent.id]);
    expect((await list({ endpointId: endpoint.id, status: 'DELIVERED' })).pageInfo.total).toBe(0);
    expect((await list({ endpointId: endpoint.id, to: since })).pageInfo.total).toBe(0);

    const recovered = await gql(
      api.url,
      `mutation ($input: RecoverWebhookDeliveriesInput!) { recoverWebhookDeliveries(input: $input) }`,
      { input: { endpointId: endpoint.id, since } },
      partner.accessToken,
    );
    expect([recovered.errors, recovered.data]).toEqual([undefined, { recoverWebhookDeliveries: true }]);
    // Pending again as the mutation answers (the log shows it on its way); the background job sends it.
    expect(['PENDING', 'DELIVERED']).toContain((await delivery(sent.id)).status);
    const done = await eventually(
      () => delivery(sent.id),
      (d) => d.status === 'DELIVERED',
      30_000,
    );
    expect(done.attempts.at(-1)?.responseStatus).toBe(200);
    expect(new Set(receiver.at(path).map((r) => r.headers['webhook-id']))).toEqual(new Set([sent.messageId]));
  });

  it('enqueues again a pending delivery whose job was lost (as if Redis had lost its data)', async () => {
    const path = `/lost-${randomUUID()}`;
    const endpoint = await createEndpoint(path);
    // A delivery stored without a job, due 10 minutes ago.
    const [lost] = await api.app.get(WebhookMessageRepository).fanOut(
      {
        eventType: 'webhook.test',
        sourceEventId: null,
        userId: partner.userId,
        orderingKey: partner.userId,
        body: (sequence) =>
          webhookBody({
            type: 'webhook.test',
            occurredAt: new Date(),
            data: { endpointId: endpoint.id },
            orderingKey: partner.userId,
            sequence,
          }),
      },
      { endpointId: endpoint.id },
    );
    if (!lost) throw new Error('no delivery stored');
    await api.app
      .get(DataSource)
      .query(`UPDATE webhook_delivery SET next_attempt_at = now() - interval '10 minutes' WHERE id = $1`, [
        lost.deliveryId,
      ]);
    // The repeated sweep (every minute) runs now.
    await api.app.get<Queue>(getQueueToken(WEBHOOK_QUEUE)).add(WEBHOOK_JOBS.sweep, {});
    expect(
      (
        await eventually(
          () => delivery(lost.deliveryId),
          (d) => d.status === 'DELIVERED',
          20_000,
        )
      ).status,
    ).toBe('DELIVERED');
    expect(receiver.at(path)).toHaveLength(1);
  });

  it("hides another partner's endpoints and deliveries (NOT_FOUND) in GraphQL and REST", async () => {
    const path = `/mine-${randomUUID()}`;
    const endpoint = await createEndpoint(path);
    const sent = await sendTest(endpoint.id);
    const other = await createSignedInUser(api);
    expect(errorCode(await gql(api.url, DELIVERY, { id: sent.id }, other.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, TEST, { id: endpoint.id }, other.accessToken))).toBe('NOT_FOUND');
    expect(
      errorCode(
        await gql(
          api.url,
          `mutation ($id: ID!) { replayWebhookDelivery(deliveryId: $id) { id } }`,
          { id: sent.id },
          other.accessToken,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await gql(
          api.url,
          `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`,
          { id: endpoint.id },
          other.accessToken,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await gql(
          api.url,
          `query ($f: WebhookDeliveriesFilter) { webhookDeliveries(filter: $f) { items { id } } }`,
          { f: { endpointId: endpoint.id } },
          other.accessToken,
        ),
      ),
    ).toBe('NOT_FOUND');
    const theirs = dataOf(
      await gql<{ webhookEndpoints: unknown[] }>(api.url, ENDPOINTS, {}, other.accessToken),
    );
    expect(theirs.webhookEndpoints).toEqual([]);
    const auth = { authorization: `Bearer ${other.accessToken}` };
    for (const url of [
      `/api/v1/webhooks/endpoints/${endpoint.id}`,
      `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries`,
      `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries/${sent.id}`,
    ]) {
      const response = await fetch(`${api.url}${url}`, { headers: auth });
      expect([
        url,
        response.status,
        ((await response.json()) as { error: { code: string } }).error.code,
      ]).toEqual([url, 404, 'NOT_FOUND']);
    }
    const rest = (method: string, url: string, token: string, body?: unknown) =>
      fetch(`${api.url}/api/v1/webhooks/endpoints${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await rest('PATCH', `/${endpoint.id}`, other.accessToken, { enabled: false })).status).toBe(404);
    expect(
      (await rest('POST', `/${endpoint.id}/deliveries/${sent.id}/replay`, other.accessToken)).status,
    ).toBe(404);
    expect((await rest('DELETE', `/${endpoint.id}`, other.accessToken)).status).toBe(404);

    const mine = await rest('GET', `/${endpoint.id}/deliveries/${sent.id}`, partner.accessToken);
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { data: { id: string; attempts: unknown[] } }).data).toMatchObject({
      id: sent.id,
      attempts: expect.any(Array),
    });
    const patched = await rest('PATCH', `/${endpoint.id}`, partner.accessToken, {
      eventTypes: ['credit.low', 'webhook.test'],
    });
    expect(((await patched.json()) as { data: { eventTypes: string[] } }).data.eventTypes).toEqual([
      'credit.low',
      'webhook.test',
    ]);
    expect(
      (await rest('PATCH', `/${endpoint.id}`, partner.accessToken, { eventTypes: ['credit.lo'] })).status,
    ).toBe(400);
    expect(
      (await rest('POST', `/${endpoint.id}/deliveries/${sent.id}/replay`, partner.accessToken)).status,
    ).toBe(202);
    const listed = (await (
      await rest('GET', `/${endpoint.id}/deliveries?status=pending&per_page=5`, partner.accessToken)
    ).json()) as {
      pagination: { per_page: number };
    };
    expect(listed.pagination.per_page).toBe(5);
  });

  it('turns a registration into one user.created at a platform-wide endpoint (admins only)', async () => {
    const path = `/platform-${randomUUID()}`;
    const admin = await createSignedInUser(api, 'ADMIN');
    expect(
      errorCode(
        await gql(
          api.url,
          CREATE,
          { input: { url: `${receiver.url}${path}`, platformWide: true } },
          partner.accessToken,
        ),
      ),
    ).toBe('FORBIDDEN');
    const endpoint = await createEndpoint(path, admin, { platformWide: true, eventTypes: ['user.created'] });
    const email = `hook-${randomUUID().slice(0, 8)}@example.com`;
    const registered = await gql<{ register: { id: string } }>(
      api.url,
      'mutation ($input: RegisterInput!) { register(input: $input) { id } }',
      { input: { email, password: 'Str0ng-Passphrase', name: 'Hook' } },
    );
    expect(registered.errors).toBeUndefined();
    const request = await firstAt(path);
    const payload = new Webhook(endpoint.secret).verify(request.body, request.headers) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(payload.type).toBe('user.created');
    expect(payload.data).toEqual({ userId: expect.any(String) });
    expect(request.body).not.toContain(email);
    // One message per stored event, however often the relay hands it over.
    const rows = (await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE endpoint_id = $1`, [
        endpoint.id,
      ])) as Array<{ n: number }>;
    expect(rows[0]?.n).toBe(1);
  });
});

/** The request's headers, signed correctly but six minutes ago (receivers refuse after five). */
function signedSixMinutesAgo(
  verifier: { sign(id: string, at: Date, body: string): string },
  messageId: string,
  request: { headers: Record<string, string>; body: string },
): Record<string, string> {
  const old = Math.floor(Date.now() / 1000) - 6 * 60;
  return {
    ...request.headers,
    'webhook-timestamp': String(old),
    'webhook-signature': verifier.sign(messageId, new Date(old * 1000), request.body),
  };
}
