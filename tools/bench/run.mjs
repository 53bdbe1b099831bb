#!/usr/bin/env node
// `npm run bench`: starts the built API against the machine's PostgreSQL and Redis (a fresh database
// for the run) and measures start-up time, idle memory, and latency/throughput of the hot paths at
// 50 concurrent connections, and partner deducts at 50 and 200 beside PostgreSQL's own rate for one
// hot row. Figures are printed, not asserted.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { ADMIN_URL, freePort, graphql, teamKeyWithLimits, withAdmin, withDatabase } from './bench-support.mjs';
import { obtainVerifiedCode, startFakeGoogle } from './fake-google.mjs';
import { startFakeOpenAI } from './fake-openai.mjs';
import { hotRowUpdateRate } from './hot-row.mjs';
import { benchWebhooks } from './webhooks.mjs';
import { benchMedia } from './media.mjs';
import { benchDashboard, printDashboard } from './dashboard.mjs';

// `npm run bench -- --pinned`: only the AI gateway, hub and load on separate cores (pinned.mjs).
if (process.argv.includes('--pinned')) {
  const { benchPinned } = await import('./pinned.mjs');
  await benchPinned();
  process.exit(0);
}

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const MAIN = process.env.BENCH_API_MAIN ?? 'dist/apps/api/apps/api/src/main.js';
// BENCH_ONLY=media (comma-separated section names) runs some sections only, e.g. while profiling one path.
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const runs = (section) => !ONLY || ONLY.has(section);
// e.g. BENCH_API_NODE_ARGS=--cpu-prof to profile the API and its inline workers under load.
const NODE_ARGS = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
// BENCH_WORKERS=process: the production split, the API with WORKERS=off beside one worker process
// (`npm run start:worker`), instead of the default inline workers in the API process.
const SPLIT = process.env.BENCH_WORKERS === 'process';
const WORKER_MAIN = MAIN.replace(/main\.js$/, 'worker.main.js');

const database = `sah_bench_${Date.now().toString(36)}`;
await withAdmin((client) => client.query(`CREATE DATABASE ${database}`));
const port = await freePort();
const google = await startFakeGoogle();
const upstream = await startFakeOpenAI();
const env = {
  ...google.env,
  OPENAI_API_KEY: 'sk-bench',
  OPENAI_BASE_URL: upstream.url,
  APP_URL: `http://127.0.0.1:${port}`,
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  JWT_SECRET: 'benchmark-only-secret-that-is-long-enough',
  ENCRYPTION_KEY: '00'.repeat(32),
  PORT: String(port),
  // The production default: every request is logged, so its cost is part of the figures.
  LOG_LEVEL: 'info',
  DATABASE_URL: withDatabase(ADMIN_URL, database),
  REDIS_URL,
  REDIS_KEY_PREFIX: `${database}:`,
  // The bench measures throughput from one address: the per-IP limit for anonymous calls is lifted.
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  // Image jobs run 50 at a time per process; moderation and generation answer at once.
  MEDIA_IMAGE_CONCURRENCY: '50',
  MEDIA_STORAGE_DIR: `/tmp/${database}-media`,
  // Deducts of up to a million credits a request; the bench spends a lot.
  PARTNER_MAX_COST: '1000000',
  // Webhooks go to a receiver on 127.0.0.1, with no per-endpoint cap below the machine's.
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_ENDPOINT_CONCURRENCY: '50',
  WEBHOOK_ENDPOINT_RATE_PER_SECOND: '100000',
  BOOTSTRAP_ADMIN_EMAIL: 'bench-admin@example.com',
  BOOTSTRAP_ADMIN_PASSWORD: 'Bench-Passw0rd',
  ...(SPLIT ? { WORKERS: 'off' } : {}),
};

let api;
let worker;
try {
  // First start applies the migrations; the second is the ordinary warm start that is timed.
  await stop(await start(env, ['--migrate']));
  const started = Date.now();
  api = await start(env, ['--migrate']);
  const startMs = Date.now() - started;
  if (SPLIT) worker = await start({ ...env, WORKERS: 'inline' }, [], WORKER_MAIN, 'worker ready');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const idleRssMb = rssMb(api.pid);

  const base = `http://127.0.0.1:${port}`;
  const accessToken = await signIn(base, env.BOOTSTRAP_ADMIN_EMAIL, env.BOOTSTRAP_ADMIN_PASSWORD);
  const verifiedCode = await obtainVerifiedCode(base);
  const results = !runs('paths')
    ? []
    : [
        await load('GET /health (database + redis check)', { url: `${base}/health` }),
        await load('POST /graphql { version }', {
          url: `${base}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ version }' }),
        }),
        await load('POST /graphql { me } (JWT, role re-read from Redis)', {
          url: `${base}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
          body: JSON.stringify({ query: '{ me { id email roles } }' }),
        }),
        await load('GET /api/v1/sessions/verify (VERIFIED code)', {
          url: `${base}/api/v1/sessions/verify`,
          headers: { authorization: `Bearer ${verifiedCode}` },
        }),
        await load('GET /metrics', { url: `${base}/metrics` }),
      ];

  const deducts = runs('deducts') ? await benchDeducts(base, accessToken) : [];
  const gateway = runs('gateway') ? await benchGateway(base, accessToken, upstream.url) : [];
  const media = runs('media') ? await benchMedia(base, accessToken, graphql, [api.pid, worker?.pid].filter(Boolean), env.DATABASE_URL) : null;
  const webhooks = runs('webhooks') ? await benchWebhooks(base, accessToken, graphql, env.DATABASE_URL) : null;
  // Last: its million-row seed would slow the sections above.
  const dashboard = runs('dashboard') ? await benchDashboard(base, accessToken, graphql, env.DATABASE_URL, env.ENCRYPTION_KEY) : null;
  const hotRow = {};
  for (const clients of new Set(deducts.map((d) => d.connections))) hotRow[clients] = await hotRowUpdateRate(env.DATABASE_URL, clients, DURATION_S);

  console.log(`\nSmart AI Hub benchmarks (${CONNECTIONS} connections, ${DURATION_S} s each, NODE_ENV=production)`);
  console.log(`warm start to ready (API${SPLIT ? ', workers in their own process' : ' + inline workers'}, migrations checked): ${startMs} ms`);
  console.log(`idle RSS after start: ${idleRssMb} MB`);
  console.log('\n| path | req/s | p50 ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) console.log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors}${r.statuses ? ` (${r.statuses})` : ''} |`);
  console.log('\nPartner deducts (POST /api/mcp/v1/credits/deduct, API key + X-User-ID), beside PostgreSQL itself:');
  console.log('| deducts | connections | req/s | p50 ms | p99 ms | non-2xx | hot-row UPDATE tps | deduct / UPDATE |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const d of deducts) {
    const pgRate = hotRow[d.connections];
    console.log(
      `| ${d.name} | ${d.connections} | ${d.rps} | ${d.p50} | ${d.p99} | ${d.errors}${d.statuses ? ` (${d.statuses})` : ''} | ${pgRate.tps} (${pgRate.tool}) | ${(d.rps / pgRate.tps).toFixed(2)} |`,
    );
  }
  console.log(`\nAI gateway (POST /v1/chat/completions, gpt-4o-mini, ${CONNECTIONS} connections) against the same local upstream called directly:`);
  console.log('| call | req/s | p50 ms | p99 ms | non-2xx | direct req/s | direct p50 | direct p99 | added p50 ms | added p99 ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const g of gateway) {
    console.log(
      `| ${g.name} | ${g.hub.rps} | ${g.hub.p50} | ${g.hub.p99} | ${g.hub.errors} | ${g.direct.rps} | ${g.direct.p50} | ${g.direct.p99} | ${g.hub.p50 - g.direct.p50} | ${g.hub.p99 - g.direct.p99} |`,
    );
  }
  if (media) printMedia(media, SPLIT);
  if (webhooks) printWebhooks(webhooks);
  if (dashboard) printDashboard(dashboard);
} finally {
  if (worker) await stop(worker);
  if (api) await stop(api);
  await google.stop();
  await upstream.stop();
  rmSync(env.MEDIA_STORAGE_DIR, { recursive: true, force: true });
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
}

async function signIn(base, email, password) {
  const login = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }';
  return (await graphql(base, null, login, { input: { email, password } })).login.accessToken;
}

/**
 * Deducts of 0.001 credits: all on one user (every request locks the same account row, the worst
 * case), with a fresh Idempotency-Key each, and spread over 20 users.
 */
async function benchDeducts(base, adminToken) {
  const apiKey = (await graphql(base, adminToken, 'mutation { createApiKey(input: {name: "bench partner", scopes: ["partner.credits"]}) { secret } }')).createApiKey.secret;
  const users = [];
  for (let i = 0; i < 20; i += 1) {
    const input = { email: `bench-user-${i}@example.com`, password: 'Bench-Passw0rd', name: `Bench ${i}` };
    users.push((await graphql(base, null, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', { input })).register.id);
  }
  for (const userId of users) {
    await graphql(base, adminToken, 'mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { id } }', {
      input: { userId, amount: 100_000_000, reason: 'bench funding' },
    });
  }
  const deduct = (headers) => ({
    url: `${base}/api/mcp/v1/credits/deduct`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
    body: JSON.stringify({ service: 'bench', cost: 0.001 }),
  });
  let sequence = 0;
  const results = [];
  for (const connections of [50, 200]) {
    results.push({ ...(await load('one user (hot row)', deduct({ 'x-user-id': users[0] }), connections)), connections });
  }
  // autocannon applies setupRequest only to entries of `requests`.
  const varying = (headers, vary) => {
    const { url, ...request } = deduct(headers);
    return { url, requests: [{ ...request, setupRequest: (r) => ({ ...r, headers: { ...r.headers, ...vary() } }) }] };
  };
  results.push({
    ...(await load('one user, Idempotency-Key each', varying({ 'x-user-id': users[0] }, () => ({ 'idempotency-key': `bench-${(sequence += 1)}` })))),
    connections: CONNECTIONS,
  });
  for (const connections of [50, 200]) {
    results.push({
      ...(await load('20 users', varying({}, () => ({ 'x-user-id': users[(sequence += 1) % users.length] })), connections)),
      connections,
    });
  }
  return results;
}

/** Hub vs direct on the same upstream: non-streaming, then streaming with usage. */
async function benchGateway(base, adminToken, upstreamUrl) {
  const apiKey = (await graphql(base, adminToken, 'mutation { createApiKey(input: {name: "bench ai", scopes: ["ai.use"]}) { secret } }')).createApiKey.secret;
  const me = (await graphql(base, adminToken, '{ me { id } }')).me.id;
  await graphql(base, adminToken, 'mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { id } }', {
    input: { userId: me, amount: 100_000_000, reason: 'bench funding' },
  });
  const limitedKey = await teamKeyWithLimits(base, adminToken, me);
  const results = [];
  for (const stream of [false, true]) {
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      max_tokens: 64,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    });
    const call = (url, key) => ({ url, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
    const name = stream ? 'streaming (SSE, include_usage)' : 'non-streaming';
    const direct = await load(`${name} direct`, call(`${upstreamUrl}/chat/completions`, 'sk-bench'));
    results.push({ name, direct, hub: await load(`${name} via hub`, call(`${base}/v1/chat/completions`, apiKey)) });
    if (!stream) {
      const limited = `${name}, team wallet with member limits, team cap and key limits`;
      results.push({ name: limited, direct, hub: await load(limited, call(`${base}/v1/chat/completions`, limitedKey)) });
    }
  }
  return results;
}

async function load(name, options, connections = CONNECTIONS) {
  const result = await autocannon({ ...options, connections, duration: DURATION_S });
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    statuses: Object.keys(result.statusCodeStats ?? {}).filter((code) => !code.startsWith('2')).join(' '),
  };
}

function start(env, args, main = MAIN, ready = 'ready: API') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, main, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (!output.includes(ready)) return;
      // From here on the access log is only drained, as a log shipper would.
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve(child);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`API exited with ${code} before it was ready:\n${output}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

function rssMb(pid) {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}


function printMedia(rounds, split) {
  const workers = split ? 'one worker process beside the API' : 'workers inline in the API process';
  console.log(
    `\nMedia queue (image jobs, created 50 at a time, provider and moderation answering at once, ${workers}; CPU ms per job of the hub (the API and worker processes), PostgreSQL, Redis and this bench process (client and fake provider)):`,
  );
  console.log(
    '| users | jobs | succeeded | create → settled s | jobs/s | all created s | createImageJob p50 ms | p99 ms | hub CPU ms / job | PostgreSQL | Redis | bench | load avg (1 min) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of rounds) {
    console.log(
      `| ${m.users} | ${m.jobs} | ${m.succeeded} | ${m.seconds} | ${m.jobsPerSecond} | ${m.createdSeconds} | ${m.createP50} | ${m.createP99} | ${m.cpuPerJob} | ${m.postgresCpuPerJob} | ${m.redisCpuPerJob} | ${m.benchCpuPerJob} | ${m.load} |`,
    );
  }
}

function printWebhooks(webhooks) {
  console.log(`\nWebhooks (${webhooks.events} outbox events committed at once → one endpoint answering at once):`);
  console.log('| events | delivered | seconds | deliveries/s | commit → delivery p50 ms | p99 ms | receiver connections | load avg (1 min) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${webhooks.events} | ${webhooks.delivered} | ${webhooks.seconds} | ${webhooks.perSecond} | ${webhooks.p50} | ${webhooks.p99} | ${webhooks.connections} | ${webhooks.load} |`,
  );
}
