import Redis from 'ioredis';
import { FIELD_RATE_LIMITS } from '../src/graphql/field-rate-limits';
import { gql } from './support/graphql-client';
import { gqlWs, WsResult } from './support/graphql-ws-client';
import { createSignedInUser, PASSWORD, uniqueEmail } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** Per minute, for the per-IP sign-in limit and for users alike. */
const LIMIT = 3;

interface Row {
  caller: 'anonymous' | 'user';
  /** One execution of the field; `n` keeps aliased calls distinct. */
  call: (n: number) => string;
}

const chat = '{ model: "no-such-model", messages: [{ role: "user", content: "hi" }] }';

/** How to call each field of FIELD_RATE_LIMITS. Most calls fail (wrong code, unknown model): they count all the same. */
const ROWS: Record<string, Row> = {
  'Mutation.register': {
    caller: 'anonymous',
    call: () => `register(input: { email: "${uniqueEmail('alias')}", password: "${PASSWORD}", name: "Alias" }) { __typename }`,
  },
  'Mutation.verifyEmail': { caller: 'anonymous', call: () => `verifyEmail(input: { email: "${uniqueEmail()}", otp: "000000" }) { accessToken }` },
  'Mutation.resendVerification': { caller: 'anonymous', call: () => `resendVerification(email: "${uniqueEmail()}")` },
  'Mutation.login': { caller: 'anonymous', call: () => `login(input: { email: "${uniqueEmail()}", password: "Wr0ng-password" }) { accessToken }` },
  'Mutation.exchangeSignInCode': { caller: 'anonymous', call: (n) => `exchangeSignInCode(code: "no-such-code-${n}") { accessToken }` },
  'Mutation.requestPasswordReset': { caller: 'anonymous', call: () => `requestPasswordReset(email: "${uniqueEmail()}")` },
  'Mutation.resetPassword': { caller: 'anonymous', call: (n) => `resetPassword(input: { token: "no-such-token-${n}", newPassword: "An0ther-Passphrase" })` },
  'Mutation.changePassword': {
    caller: 'user',
    call: (n) => `changePassword(input: { currentPassword: "Wr0ng-password-${n}", newPassword: "An0ther-Passphrase" })`,
  },
  'Mutation.completeTwoFactorSignIn': {
    caller: 'anonymous',
    call: (n) => `completeTwoFactorSignIn(input: { challengeToken: "no-such-challenge-${n}", code: "000000" }) { accessToken }`,
  },
  'Mutation.enrolTwoFactor': { caller: 'user', call: () => 'enrolTwoFactor { __typename }' },
  'Mutation.confirmTwoFactor': { caller: 'user', call: () => 'confirmTwoFactor(input: { code: "000000" }) { __typename }' },
  'Mutation.disableTwoFactor': { caller: 'user', call: () => 'disableTwoFactor(input: { code: "000000" })' },
  'Query.signInSessions': { caller: 'user', call: () => 'signInSessions { id }' },
  'Mutation.revokeSignInSession': { caller: 'user', call: () => 'revokeSignInSession(id: "00000000-0000-4000-8000-000000000000")' },
  'Mutation.revokeOtherSignInSessions': { caller: 'user', call: () => 'revokeOtherSignInSessions' },
  'Mutation.redeemPromoCode': { caller: 'user', call: (n) => `redeemPromoCode(code: "NO-SUCH-CODE-${n}") { __typename }` },
  'Mutation.changePlan': { caller: 'user', call: (n) => `changePlan(input: { plan: "no-such-plan-${n}" }) { __typename }` },
  'Mutation.inviteTeamMember': {
    caller: 'user',
    call: (n) => `inviteTeamMember(input: { teamId: "00000000-0000-4000-8000-000000000000", email: "invitee-${n}@example.com" }) { __typename }`,
  },
  'Mutation.acceptTeamInvitation': { caller: 'user', call: (n) => `acceptTeamInvitation(token: "no-such-token-${n}") { __typename }` },
  'Mutation.chatCompletion': { caller: 'user', call: () => `chatCompletion(input: ${chat}) { __typename }` },
  'Mutation.createImageJob': { caller: 'user', call: () => 'createImageJob(input: { prompt: "a cat", model: "no-such-model" }) { __typename }' },
  'Mutation.createVideoJob': { caller: 'user', call: () => 'createVideoJob(input: { prompt: "a cat", model: "no-such-model" }) { __typename }' },
  'Subscription.chatCompletionStream': { caller: 'user', call: () => `chatCompletionStream(input: ${chat}) { __typename }` },
};

type Transport = 'http' | 'graphql-ws';

describe('rate-limited GraphQL fields count every execution, over HTTP and graphql-ws', () => {
  let api: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    api = await startTestApp({
      RATE_LIMIT_AUTH_PER_MINUTE: String(LIMIT),
      RATE_LIMIT_USER_PER_MINUTE: String(LIMIT),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000',
    });
    redis = api.app.get(Redis);
  });
  afterAll(() => api.close());

  /** Each case starts with fresh windows: the cases share 127.0.0.1 and its per-IP counts. */
  async function resetRateLimits(): Promise<void> {
    const prefix = api.config.redis.keyPrefix;
    const keys = await redis.keys(`${prefix}ratelimit:*`);
    if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
  }

  const run = (transport: Transport, query: string, bearer?: string): Promise<WsResult> =>
    transport === 'http' ? gql(api.url, query, undefined, bearer) : gqlWs(api.url, query, undefined, bearer);

  it('has a row for every field of the list', () => {
    expect(Object.keys(ROWS).sort()).toEqual(Object.keys(FIELD_RATE_LIMITS).sort());
  });

  const cases = (transport: Transport) =>
    Object.entries(ROWS)
      // Apollo serves subscriptions over graphql-ws only.
      .filter(([key]) => transport === 'graphql-ws' || !key.startsWith('Subscription.'))
      .map(([key, row]) => ({ key, row, transport }));

  it.each([...cases('http'), ...cases('graphql-ws')])('$key over $transport', async ({ key, row, transport }) => {
    const [rootType, field] = key.split('.');
    const { perOperation } = FIELD_RATE_LIMITS[key];
    const operation = (count: number, first: number) =>
      `${rootType.toLowerCase()} { ${Array.from({ length: count }, (_, i) => `a${i}: ${row.call(first + i)}`).join(' ')} }`;
    await resetRateLimits();
    const bearer = row.caller === 'user' ? (await createSignedInUser(api)).accessToken : undefined;
    await resetRateLimits();

    // More executions than one operation may hold: refused whole, before any runs or counts.
    const over = await run(transport, operation(perOperation + 1, 0), bearer);
    expect(over.data ?? null).toBeNull();
    expect(over.errors?.map((error) => error.message)).toContain(
      `At most ${perOperation} "${field}" per operation: this one asks for ${perOperation + 1}. Send them separately.`,
    );
    expect(over.errors?.every((error) => error.extensions.code === 'BAD_USER_INPUT')).toBe(true);

    // Every execution counts: LIMIT of them pass the limiter (whatever else they answer), the next is refused.
    const codes: (string | undefined)[] = [];
    for (let n = 0; n < LIMIT; n += perOperation) {
      const result = await run(transport, operation(Math.min(perOperation, LIMIT - n), 100 + n), bearer);
      codes.push(...(result.errors ?? []).map((error) => error.extensions.code));
    }
    expect(codes).not.toContain('RATE_LIMITED');
    const refused = await run(transport, operation(1, 1000), bearer);
    expect(refused.errors?.[0].extensions.code).toBe('RATE_LIMITED');
  });
});
