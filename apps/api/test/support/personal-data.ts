import { DataSource } from 'typeorm';
import { dataOf, gql } from './graphql-client';
import { createSignedInUser, Session } from './identity-fixtures';
import { startTestApp, TestApp } from './test-app';

const ADJUST = 'mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { id } }';
const CREATE_KEY = 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { prefix } secret } }';
const CREATE_ENDPOINT =
  'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } secret } }';

/** What a suite about a person's data (export, deletion) works with. */
export interface PersonalDataSuite {
  api: TestApp;
  db: DataSource;
  /** Grants the credits. */
  admin: Session;
}

/**
 * Starts the app for the suite (webhook endpoints on 127.0.0.1 allowed: nothing is delivered to them
 * here) with an admin, hands them to `onStart`, and closes it after the suite.
 */
export function usePersonalDataSuite(onStart: (suite: PersonalDataSuite) => void): void {
  let api: TestApp | undefined;
  beforeAll(async () => {
    api = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    onStart({ api, db: api.app.get(DataSource), admin: await createSignedInUser(api, 'ADMIN') });
  });
  afterAll(() => api?.close());
}

/** What `giveData` made: the API key (usable at once) and the webhook endpoint's signing secret. */
export interface GivenData {
  key: { prefix: string; secret: string };
  webhookSecret: string;
}

/**
 * Something of the user's in identity, billing, webhooks and AI, each named after `label` so a file or
 * a scan can find it: an API key `<label>-key`, `credits` granted for `<label> credits`, a webhook
 * endpoint `…/<label>-hook` and a usage record of model `<label>-model`. Media jobs differ per suite.
 */
export async function giveData(
  suite: PersonalDataSuite,
  owner: { userId: string; accessToken: string },
  label: string,
  credits: number,
): Promise<GivenData> {
  const { api, db, admin } = suite;
  const created = dataOf(
    await gql<{ createApiKey: { apiKey: { prefix: string }; secret: string } }>(
      api.url,
      CREATE_KEY,
      { input: { name: `${label}-key`, scopes: ['ai.use'] } },
      owner.accessToken,
    ),
  ).createApiKey;
  const grant = { userId: owner.userId, amount: credits, reason: `${label} credits` };
  dataOf(await gql(api.url, ADJUST, { input: grant }, admin.accessToken));
  const endpoint = dataOf(
    await gql<{ createWebhookEndpoint: { secret: string } }>(
      api.url,
      CREATE_ENDPOINT,
      { input: { url: `http://127.0.0.1:9/${label}-hook`, eventTypes: ['credit.low'] } },
      owner.accessToken,
    ),
  ).createWebhookEndpoint;
  await db.query(
    `INSERT INTO ai_usage (user_id, endpoint, model, provider, upstream_model, stream, input_tokens, output_tokens, credits, latency_ms, status)
     VALUES ($1, 'openai', $2, 'openai', 'gpt-4o', false, 11, 22, 330, 40, 'ok')`,
    [owner.userId, `${label}-model`],
  );
  return { key: { prefix: created.apiKey.prefix, secret: created.secret }, webhookSecret: endpoint.secret };
}
