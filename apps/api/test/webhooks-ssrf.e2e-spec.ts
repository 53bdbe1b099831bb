import type { LookupAddress } from 'node:dns';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';
import { WebhookUrlResolver } from '../src/contexts/webhooks/application/webhook-url-resolver';

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id url } secret } }`;
const DELIVERY = `query ($id: ID!) { webhookDelivery(id: $id) { status attempts { error responseStatus } } }`;

/** With the production setting (private URLs refused): the SSRF cases, at save and at connect. */
describe('Webhooks: SSRF protection', () => {
  let api: TestApp;
  let partner: Session;
  /** What the stubbed resolver answers for names under .test (anything else: a failed lookup). */
  const answers = new Map<string, string>();

  beforeAll(async () => {
    api = await startTestApp();
    jest
      .spyOn(WebhookUrlResolver.prototype, 'resolve')
      .mockImplementation(async (host: string): Promise<LookupAddress[]> => {
        const address = answers.get(host);
        if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return [{ address, family: address.includes(':') ? 6 : 4 }];
      });
    partner = await createSignedInUser(api);
  });

  afterAll(() => api?.close());

  const create = (url: string) =>
    gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      api.url,
      CREATE,
      { input: { url } },
      partner.accessToken,
    );

  it.each([
    'https://127.0.0.1/hook',
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::1]/hook',
    'https://100.64.0.1/hook',
    'https://loopback.test/hook',
    'http://public.test/hook',
    'https://public.test:8443/hook',
    'ftp://public.test/hook',
  ])('refuses %s at save time (BAD_USER_INPUT)', async (url) => {
    answers.set('loopback.test', '127.0.0.1');
    answers.set('public.test', '93.184.216.34');
    const result = await create(url);
    expect([url, errorCode(result)]).toEqual([url, 'BAD_USER_INPUT']);
  });

  it('refuses the same through REST with 400', async () => {
    const response = await fetch(`${api.url}/api/v1/webhooks/endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${partner.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://10.0.0.1/hook' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
  });

  it('refuses at connect time a name that was public when saved and resolves to a private address later (rebinding)', async () => {
    answers.set('rebind.test', '93.184.216.34');
    const created = await create('https://rebind.test/hook');
    expect(created.errors).toBeUndefined();
    const endpointId = dataOf(created).createWebhookEndpoint.endpoint.id;
    answers.set('rebind.test', '127.0.0.1');
    const sent = dataOf(
      await gql<{ sendTestWebhook: { id: string } }>(
        api.url,
        `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`,
        { id: endpointId },
        partner.accessToken,
      ),
    ).sendTestWebhook;
    const delivery = await eventually(
      async () =>
        dataOf(
          await gql<{
            webhookDelivery: { attempts: Array<{ error: string | null; responseStatus: number | null }> };
          }>(api.url, DELIVERY, { id: sent.id }, partner.accessToken),
        ),
      (d) => d.webhookDelivery.attempts.length > 0,
      20_000,
    );
    const [attempt] = delivery.webhookDelivery.attempts;
    expect(attempt).toEqual({
      responseStatus: null,
      error: 'rebind.test resolves to 127.0.0.1 (loopback), which webhooks may not reach',
    });
  });

  it('lets a partner script manage endpoints with an API key holding webhooks.manage, not without it', async () => {
    const key = async (scopes: string[]) =>
      dataOf(
        await gql<{ createApiKey: { secret: string } }>(
          api.url,
          'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
          { input: { name: `k-${scopes.join('-') || 'none'}`, scopes } },
          partner.accessToken,
        ),
      ).createApiKey.secret;
    const list = (secret: string) =>
      fetch(`${api.url}/api/v1/webhooks/endpoints`, { headers: { authorization: `Bearer ${secret}` } });
    const allowed = await list(await key(['webhooks.manage']));
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { data: Array<{ url: string }> }).data.map((e) => e.url)).toEqual([
      'https://rebind.test/hook',
    ]);
    expect((await list(await key(['credits.read']))).status).toBe(403);
    const catalogue = (await (await fetch(`${api.url}/api/v1/webhooks/event-types`)).json()) as {
      data: Array<{ type: string; schema: object }>;
    };
    expect(catalogue.data.map((e) => e.type)).toContain('credit.depleted');
  });
});
