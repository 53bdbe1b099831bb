import { createPartnerKey } from './support/billing-fixtures';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const NUL = 'a\u0000b';
const LONE_SURROGATE = '\ud800';

/**
 * The REST side of the input hygiene rule: text no database column can store (NUL, unpaired
 * surrogates) is refused by the global pipe with 400, in JSON bodies, query strings and path
 * parameters, before a handler could write it. Each request is otherwise valid, so without the
 * rule it would reach the ledger or the provider call.
 */
describe('security: REST refuses malformed text with 400, never 500', () => {
  let api: TestApp;
  let admin: Session;
  let partnerKey: string;

  beforeAll(async () => {
    api = await startTestApp();
    admin = await createSignedInUser(api, 'SUPER_ADMIN');
    partnerKey = await createPartnerKey(api);
  });
  afterAll(() => api.close());

  const call = async (method: string, path: string, body: unknown, bearer: string) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'x-user-id': admin.userId },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it.each([
    ['partner deduct, service', '/api/mcp/v1/credits/deduct', { service: NUL, cost: 1 }],
    ['partner deduct, metadata', '/api/mcp/v1/credits/deduct', { service: 's', cost: 1, metadata: { note: LONE_SURROGATE } }],
    ['partner check, service', '/api/mcp/v1/credits/check', { service: LONE_SURROGATE, cost: 1 }],
  ])('%s', async (_label, path, body) => {
    const { status, body: answer } = await call('POST', path, body, partnerKey);
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/valid text/) } });
  });

  it('checkout package', async () => {
    const { status, body } = await call(
      'POST',
      '/api/v1/payments/checkout',
      { package: NUL, successUrl: 'https://example.com/ok', cancelUrl: 'https://example.com/no' },
      admin.accessToken,
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/valid text/), details: { field: 'package' } } });
  });

  it.each([
    ['a query string', `/api/v1/credits/transactions.csv?type=${encodeURIComponent(NUL)}`],
    ['a path parameter', `/api/v1/credits/statements/${encodeURIComponent(NUL)}.csv`],
  ])('in %s', async (_label, path) => {
    const { status, body } = await call('GET', path, undefined, admin.accessToken);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/valid text/) } });
  });

  it('the OpenAI- and Anthropic-compatible endpoints refuse it in their own format', async () => {
    const messages = [{ role: 'user', content: NUL }];
    const openai = await call('POST', '/v1/chat/completions', { model: 'gpt-4o-mini', messages }, admin.accessToken);
    expect(openai.status).toBe(400);
    expect(openai.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'bad_user_input', message: expect.stringMatching(/valid text/) } });

    const anthropic = await call('POST', '/v1/messages', { model: 'claude-3-5-haiku', max_tokens: 10, messages }, admin.accessToken);
    expect(anthropic.status).toBe(400);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/valid text/) } });
  });
});
