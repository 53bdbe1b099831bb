import OpenAI from 'openai';
import { createAiUser } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const FREE_PLAN = 'query { plans(includeArchived: false) { id code } }';
const UPDATE_PLAN = 'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { id requestsPerMonth } }';
const MY_PLAN = 'query { myPlan { plan { code requestsPerMonth } requestsUsed requestsRenewAt } }';
const CHAT = 'mutation ($input: ChatCompletionInput!) { chatCompletion(input: $input) { content } }';
const CHAT_INPUT = { input: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], maxTokens: 16 } };

/** The first instant of the next calendar month in UTC: when the Free plan's count starts again. */
function nextMonth(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/**
 * A plan's requests-per-month cap, on the Free plan (the plan of everyone without a subscription):
 * every AI call is counted before its credits are held, on whichever API instance it arrives, and the
 * one past the cap is refused with 429 and the time until the period renews, in the caller's format.
 */
describe("billing: a plan's monthly request cap", () => {
  let api: TestApp;
  let second: TestApp;
  let openai: FakeOpenAI;
  let admin: string;
  let freePlanId: string;

  const setFreeCap = async (requestsPerMonth: number | null) => {
    const updated = dataOf(await gql<{ updatePlan: { requestsPerMonth: number | null } }>(api.url, UPDATE_PLAN, { input: { id: freePlanId, requestsPerMonth } }, admin));
    expect(updated.updatePlan.requestsPerMonth).toBe(requestsPerMonth);
  };
  const myPlan = async (token: string) =>
    dataOf(await gql<{ myPlan: { plan: { code: string; requestsPerMonth: number | null }; requestsUsed: number; requestsRenewAt: string } }>(api.url, MY_PLAN, {}, token)).myPlan;
  const sdk = (app: TestApp, apiKey: string) => new OpenAI({ apiKey, baseURL: `${app.url}/v1`, maxRetries: 0 });
  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 });

  beforeAll(async () => {
    openai = new FakeOpenAI();
    await openai.start();
    api = await startTestApp(openai.env());
    // A second API instance on the same database and Redis, as in a replicated deployment.
    second = await startTestApp({ ...openai.env(), DATABASE_URL: api.config.database.url, REDIS_KEY_PREFIX: api.config.redis.keyPrefix });
    admin = (await createSignedInUser(api, 'ADMIN')).accessToken;
    const plans = dataOf(await gql<{ plans: { id: string; code: string }[] }>(api.url, FREE_PLAN, {}, admin)).plans;
    const free = plans.find((plan) => plan.code === 'free');
    if (!free) throw new Error('the Free plan is not seeded');
    freePlanId = free.id;
    // Before either instance has read it: each keeps a user's cap for a few seconds.
    await setFreeCap(3);
  });
  afterAll(async () => {
    await second?.close();
    await api?.close();
    await openai.stop();
  });
  beforeEach(() => openai.reply({ text: 'ok', usage: { input: 5, output: 2 } }));

  it('counts calls from every entry point and instance, refuses the one past the cap with 429 and Retry-After, and lifts with the cap', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);

    await ask(sdk(api, user.apiKey));
    await ask(sdk(second, user.apiKey));
    expect(dataOf(await gql(api.url, CHAT, CHAT_INPUT, user.accessToken))).toBeDefined();
    const before = openai.requests.length;

    // The server reads its clock between these two readings of ours.
    const sent = Date.now();
    const refused = await ask(sdk(second, user.apiKey)).catch((error: unknown) => error);
    const answered = Date.now();
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const error = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.message).toContain('limit of 3 requests a month');
    const retryAfter = Number(error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(Math.floor((nextMonth().getTime() - answered) / 1000));
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil((nextMonth().getTime() - sent) / 1000));
    // GraphQL callers get the same refusal in GraphQL's format; the provider was never called.
    expect(errorCode(await gql(api.url, CHAT, CHAT_INPUT, user.accessToken))).toBe('RATE_LIMITED');
    expect(openai.requests.length).toBe(before);

    expect(await myPlan(user.accessToken)).toEqual({
      plan: { code: 'free', requestsPerMonth: 3 },
      requestsUsed: 3,
      requestsRenewAt: nextMonth().toISOString(),
    });

    // Without a cap, the same user calls again at once on the instance where the plan was edited.
    await setFreeCap(null);
    try {
      await expect(ask(sdk(api, user.apiKey))).resolves.toMatchObject({ choices: [{ message: { content: 'ok' } }] });
    } finally {
      await setFreeCap(3);
    }
  });

  it('does not count a call refused for its credits', async () => {
    const user = await createAiUser(api);
    const broke = await ask(sdk(api, user.apiKey)).catch((error: unknown) => error);
    expect(broke).toMatchObject({ status: 402 });
    expect((await myPlan(user.accessToken)).requestsUsed).toBe(0);

    await fund(api, user.userId, 100);
    for (let call = 1; call <= 3; call++) await ask(sdk(api, user.apiKey));
    expect((await myPlan(user.accessToken)).requestsUsed).toBe(3);
  });

  it('never lets concurrent calls past the cap', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ask(sdk(i % 2 ? second : api, user.apiKey)).then(() => 'ok', (error: { status?: number }) => error.status)),
    );
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === 429)).toHaveLength(9);
  });

  it('does not hold staff who run the gateway to a plan', async () => {
    const staff = await createSignedInUser(api, 'ADMIN');
    await fund(api, staff.userId, 100);
    for (let call = 1; call <= 4; call++) dataOf(await gql(api.url, CHAT, CHAT_INPUT, staff.accessToken));
    expect((await myPlan(staff.accessToken)).requestsUsed).toBe(0);
  });
});
