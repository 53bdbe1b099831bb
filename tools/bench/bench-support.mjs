// Set-up shared by the benchmarks: the PostgreSQL superuser connection, per-run databases, free ports.
import { createServer } from 'node:net';
import pg from 'pg';

export const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `work` on a superuser connection (creating and dropping the bench's databases). */
export async function withAdmin(work) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A GraphQL call that must succeed; its data. */
export async function graphql(base, token, query, variables) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const { data, errors } = await res.json();
  if (!data) throw new Error(`bench GraphQL call failed: ${JSON.stringify(errors)}`);
  return data;
}

/**
 * An API key whose calls spend a team wallet with every limit on, each far above what a bench spends
 * so that none refuses a call: the member's day and month, the team's monthly cap, and the key's
 * monthly budget, requests and tokens per minute. Beside a plain key it shows what the limits cost.
 */
export async function teamKeyWithLimits(base, token, userId) {
  const teamId = (await graphql(base, token, 'mutation { createTeam(input: {name: "bench team"}) { id } }')).createTeam.id;
  const mutate = (name, input) => graphql(base, token, `mutation ($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { __typename } }`, { input });
  await mutate('addTeamMember', { teamId, userId, role: 'manager' });
  await mutate('adjustTeamWallet', { teamId, amount: 100_000_000, reason: 'bench funding' });
  await mutate('setTeamMemberLimits', { teamId, userId, dailyCredits: 50_000_000, monthlyCredits: 90_000_000 });
  await mutate('setTeamMonthlyCap', { teamId, monthlyCap: 95_000_000 });
  const key = await graphql(base, token, 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
    input: { name: 'bench ai, team with limits', scopes: ['ai.use'], teamId, monthlyCreditBudget: 90_000_000, requestsPerMinute: 1_000_000, tokensPerMinute: 100_000_000 },
  });
  return key.createApiKey.secret;
}

/** The bench reads no mail: its users' addresses are marked verified so that they can sign in. */
export async function markVerified(databaseUrl, userId) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('UPDATE identity_user SET email_verified_at = now() WHERE id = $1', [userId]);
  } finally {
    await client.end();
  }
}

/**
 * A plain user's funded API key: unlike an admin's, its calls count against the user role's rate
 * limit and the Free plan's monthly request cap (raised here far above what a bench sends), so they
 * pay the round trips a customer's calls pay.
 */
export async function userKey(base, adminToken, databaseUrl) {
  const input = { email: 'bench-user@example.com', password: 'Bench-Passw0rd', name: 'Bench user' };
  const userId = (await graphql(base, null, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', { input })).register.id;
  await markVerified(databaseUrl, userId);
  const login = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }';
  const token = (await graphql(base, null, login, { input: { email: input.email, password: input.password } })).login.accessToken;
  const free = (await graphql(base, adminToken, '{ plans(includeArchived: false) { id code } }')).plans.find((plan) => plan.code === 'free');
  await graphql(base, adminToken, 'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { id } }', { input: { id: free.id, requestsPerMonth: 2_000_000_000 } });
  await graphql(base, adminToken, 'mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { id } }', {
    input: { userId, amount: 100_000_000, reason: 'bench funding' },
  });
  return (await graphql(base, token, 'mutation { createApiKey(input: {name: "bench user ai", scopes: ["ai.use"]}) { secret } }')).createApiKey.secret;
}
