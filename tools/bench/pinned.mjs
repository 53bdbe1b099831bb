// `npm run bench -- --pinned`: the AI gateway like for like. The hub (the API process, workers in
// their own process as in production, here not started) runs alone on one core; the load generator
// (this process) and the fake upstream share the other. Each round measures the same upstream
// called directly, through the hub with an admin's plain key, with a plain user's key and with a key that
// spends a team wallet under every team and key limit (then the admin's key and the limited key paired,
// alternating on the same connections), non-streaming
// and streaming, at 1 and at 50 connections, with
// metering on: every hub call takes a real hold, capture and usage row, counted at the end, and the
// ledger is verified. Latencies are timed per request here (µs), not read from autocannon's
// millisecond histogram; streaming also times the first body byte (the first SSE event).
// With BENCH_REFERENCE_GATEWAY (the path of Portkey's open-source gateway's `build/start-server.js`,
// installed outside the repository: README) the non-streaming runs also go through that gateway, on
// the hub's core: the yardstick the targets were set against, measured on this machine. (Its
// streamed answers fail on Node 20: versions 1.9.8 and 1.15.2 answer 500, "immutable" headers.)
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { ADMIN_URL, freePort, graphql, teamKeyWithLimits, userKey, withAdmin, withDatabase } from './bench-support.mjs';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const MAIN = process.env.BENCH_API_MAIN ?? 'dist/apps/api/apps/api/src/main.js';
const VERIFY_MAIN = MAIN.replace(/main\.js$/, 'ledger-verify.main.js');
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HUB_CPU = process.env.BENCH_HUB_CPU ?? '0';
const LOAD_CPU = process.env.BENCH_LOAD_CPU ?? '1';
const CONNECTIONS = [1, 50];
// The stores' server processes, whose CPU per call the bench reports beside the hub's.
const STORES = new Set(['postgres', 'redis-server']);
// `hub`: the hub through an admin's plain key (no role limit, no plan cap); `user`: through a plain
// user's key (the role's rate limit and the Free plan's request cap counted); `limits`: through a key
// that spends a team wallet with every team and key limit on.
const REFERENCE = process.env.BENCH_REFERENCE_GATEWAY;
const TARGETS = ['direct', ...(REFERENCE ? ['reference'] : []), 'hub', 'user', 'limits'];
const VIAS = TARGETS.slice(1);
// BENCH_PINNED_RUNS=json:50 (comma-separated mode:connections) runs only those, e.g. while profiling.
const ONLY = process.env.BENCH_PINNED_RUNS ? new Set(process.env.BENCH_PINNED_RUNS.split(',')) : null;
// e.g. BENCH_API_NODE_ARGS=--cpu-prof to profile the hub under this load.
const NODE_ARGS = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

export async function benchPinned() {
  // This process and every thread it starts from now on run on the load core.
  execFileSync('taskset', ['-a', '-p', '-c', LOAD_CPU, String(process.pid)], { stdio: 'ignore' });
  const database = `sah_bench_${Date.now().toString(36)}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${database}`));
  const upstream = await startUpstream();
  const port = await freePort();
  const env = {
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
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
    // The `user` key's role limit: counted on every call (a Redis round trip), never reached.
    RATE_LIMIT_USER_PER_MINUTE: '1000000',
    // The production split: the outbox relay and queues run in a worker process, not on the hub's core.
    WORKERS: 'off',
    BOOTSTRAP_ADMIN_EMAIL: 'bench-admin@example.com',
    BOOTSTRAP_ADMIN_PASSWORD: 'Bench-Passw0rd',
  };
  let api;
  let reference;
  try {
    api = await startApi(env);
    if (REFERENCE) reference = await startReference(upstream.url);
    const base = `http://127.0.0.1:${port}`;
    const { apiKey, userApiKey, limitedKey } = await fundedKey(base, env);
    let hubOk0 = 0;
    // Warm-up (JIT, pools, caches), not reported: both formats once through the hub.
    for (const stream of [false, true]) for (const key of [apiKey, userApiKey, limitedKey]) hubOk0 += (await measure(`${base}/v1/chat/completions`, key, stream, 50, 2)).ok;
    if (reference) await measure(reference.url, 'sk-bench', false, 50, 2, reference.headers);
    const rows = [];
    let hubOk = hubOk0;
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const stream of [false, true]) {
        for (const connections of CONNECTIONS) {
          if (ONLY && !ONLY.has(`${stream ? 'stream' : 'json'}:${connections}`)) continue;
          // The targets take turns at going first, so a drift in the machine's load favours none.
          const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]);
          const figures = {};
          for (const target of order) {
            if (target === 'reference' && stream) continue;
            const url = { direct: `${upstream.url}/chat/completions`, reference: reference?.url }[target] ?? `${base}/v1/chat/completions`;
            const pid = target === 'reference' ? reference.child.pid : api.pid;
            const cpuBefore = cpuMs(pid);
            const storesBefore = storesCpuMs();
            const from = process.hrtime.bigint() / 1000n;
            const key = { direct: 'sk-bench', reference: 'sk-bench', hub: apiKey, user: userApiKey, limits: limitedKey }[target];
            figures[target] = await measure(url, key, stream, connections, DURATION_S, target === 'reference' ? reference.headers : {});
            // Monotonic µs, the clock of the hub's --cpu-prof samples: cpu-profile-summary.mjs --window picks this run.
            if (target !== 'direct' && target !== 'reference' && NODE_ARGS.includes('--cpu-prof')) {
              console.log(`profile window ${target} ${stream ? 'stream' : 'json'}:${connections} --window ${from}-${process.hrtime.bigint() / 1000n}`);
            }
            // The hub's own CPU per answer: the figure least disturbed by what else the machine runs.
            if (target !== 'direct') figures[target].cpuPerCallUs = ((cpuMs(pid) - cpuBefore) * 1000) / Math.max(1, figures[target].ok);
            // What the call costs PostgreSQL and Redis (the ledger, usage rows, limits), on whichever core they ran.
            if (target !== 'direct') figures[target].storesCpuPerCallUs = ((storesCpuMs() - storesBefore) * 1000) / Math.max(1, figures[target].ok);
          }
          // Both keys' requests alternating on the same connections: the limits' cost with the machine's
          // load drifts shared by both (on a busy machine the separate runs above differ by more than it).
          figures.paired = await measure(`${base}/v1/chat/completions`, [apiKey, limitedKey], stream, connections);
          hubOk += figures.hub.ok + figures.user.ok + figures.limits.ok + figures.paired.ok;
          rows.push({ round, stream, connections, ...figures, load: loadAverage() });
        }
      }
    }
    const metering = await meteringCheck(env.DATABASE_URL, hubOk);
    const verify = ledgerVerify(env);
    print(rows, metering, verify);
  } finally {
    if (api) await stop(api);
    if (reference) await stop(reference.child);
    upstream.child.kill('SIGTERM');
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

/**
 * One load run: req/s and errors from autocannon, latency and first-byte time per request from its
 * client events. With two keys each connection alternates between them; their latencies are in `byKey`.
 */
async function measure(url, key, stream, connections, duration = DURATION_S, headers = {}) {
  const keys = Array.isArray(key) ? key : [key];
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello' }],
    max_tokens: 64,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
  const latencies = keys.map(() => []);
  const firstBytes = keys.map(() => []);
  const setupClient = (client) => {
    let sent = 0n;
    let firstSeen = false;
    // autocannon sends a connection's `requests` in turn, one at a time: the n-th answer is the n-th key's.
    let n = -1;
    client.on('request', () => {
      sent = process.hrtime.bigint();
      firstSeen = false;
      n += 1;
    });
    client.on('body', () => {
      if (firstSeen) return;
      firstSeen = true;
      firstBytes[n % keys.length].push(Number(process.hrtime.bigint() - sent) / 1e3);
    });
    client.on('response', () => latencies[n % keys.length].push(Number(process.hrtime.bigint() - sent) / 1e3));
  };
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    requests: keys.map((k) => ({ headers: { 'content-type': 'application/json', authorization: `Bearer ${k}`, ...headers } })),
    connections,
    duration,
    setupClient,
  });
  const ok = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => code.startsWith('2'))
    .reduce((sum, [, stats]) => sum + stats.count, 0);
  return {
    rps: Math.round(result.requests.average),
    ok,
    errors: result.errors + result.non2xx + result.timeouts,
    p50: percentile(latencies.flat(), 0.5),
    p99: percentile(latencies.flat(), 0.99),
    ttfb50: percentile(firstBytes.flat(), 0.5),
    ttfb99: percentile(firstBytes.flat(), 0.99),
    byKey: latencies.map((values) => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99) })),
  };
}

/**
 * Every hold the hub took must be settled and have left exactly one usage row (calls still running
 * when a run stopped are settled too, so there are a few more than the 2xx answers counted).
 */
async function meteringCheck(databaseUrl, hubOk) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Calls are settled just after their answers: wait (bounded) until the last hold is settled and recorded.
    for (let tries = 0; tries < 50; tries += 1) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM credit_hold h WHERE h.status = 'active' OR NOT EXISTS (SELECT 1 FROM ai_usage u WHERE u.hold_id = h.id)`,
      );
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const usage = await client.query(`SELECT status, count(*)::int AS n, coalesce(sum(credits), 0)::text AS millis FROM ai_usage GROUP BY status ORDER BY status`);
    const holds = await client.query(`SELECT status, count(*)::int AS n FROM credit_hold GROUP BY status ORDER BY status`);
    const listed = (rows, extra = () => '') => rows.map((r) => `${r.status} ${r.n}${extra(r)}`).join(', ');
    return {
      hubOk,
      usage: listed(usage.rows, (r) => ` (${r.millis} milli-credits)`),
      holds: listed(holds.rows),
      matched: usage.rows.reduce((n, r) => n + r.n, 0) === holds.rows.reduce((n, r) => n + r.n, 0),
    };
  } finally {
    await client.end();
  }
}

function ledgerVerify(env) {
  try {
    const report = JSON.parse(execFileSync(process.execPath, [VERIFY_MAIN], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return report.ok ? 'ok' : `FAILED: ${JSON.stringify(report)}`;
  } catch (error) {
    return `FAILED: ${error.stdout ?? error.message}`;
  }
}

function print(rows, metering, verify) {
  const us = (v) => (v / 1000).toFixed(2);
  console.log(`\nAI gateway, pinned: hub on CPU ${HUB_CPU}; load generator and fake upstream on CPU ${LOAD_CPU}; POST /v1/chat/completions gpt-4o-mini, ${DURATION_S} s a run, ${ROUNDS} rounds`);
  console.log(
    "`hub`: an admin's plain key; `user`: a plain user's key (role rate limit and plan request cap counted); `limits`: a key spending a team wallet with member, team and key limits on (tools/bench/bench-support.mjs).",
  );
  if (REFERENCE) console.log('`reference`: Portkey\'s open-source gateway on the hub\'s core, forwarding to the same upstream (it meters nothing).');
  console.log('| round | mode | conns | via | direct req/s | hub req/s | direct p50 ms | hub p50 ms | added p50 ms | added p99 ms | added TTFB p50 ms | hub CPU µs/call | stores CPU µs/call | hub errors | load (1/5 min) |');
  console.log('| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    for (const via of VIAS) {
      const hub = r[via];
      if (!hub) continue;
      const ttfb = r.stream ? us(hub.ttfb50 - r.direct.ttfb50) : '';
      console.log(
        `| ${r.round} | ${r.stream ? 'stream' : 'json'} | ${r.connections} | ${via} | ${r.direct.rps} | ${hub.rps} | ${us(r.direct.p50)} | ${us(hub.p50)} | ${us(hub.p50 - r.direct.p50)} | ${us(hub.p99 - r.direct.p99)} | ${ttfb} | ${Math.round(hub.cpuPerCallUs)} | ${Math.round(hub.storesCpuPerCallUs)} | ${hub.errors} | ${r.load} |`,
      );
    }
  }
  const paired = (r, q) => r.paired.byKey[1][q] - r.paired.byKey[0][q];
  console.log('\nPaired: the plain key\'s and the limited key\'s requests alternating on the same connections.');
  console.log('| round | mode | conns | req/s | hub p50 ms | limits p50 ms | limits cost p50 ms | hub p99 ms | limits p99 ms | limits cost p99 ms |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const [hub, limits] = r.paired.byKey;
    console.log(
      `| ${r.round} | ${r.stream ? 'stream' : 'json'} | ${r.connections} | ${r.paired.rps} | ${us(hub.p50)} | ${us(limits.p50)} | ${us(paired(r, 'p50'))} | ${us(hub.p99)} | ${us(limits.p99)} | ${us(paired(r, 'p99'))} |`,
    );
  }
  console.log("\nMedian over the rounds (cost over hub: what a user's or the limited key's calls add to the admin's plain key's p50, between the separate runs; paired: the limits' cost on shared connections):");
  console.log('| mode | conns | via | hub req/s | added p50 ms | added p99 ms | added TTFB p50 ms | hub CPU µs/call | stores CPU µs/call | cost over hub p50 ms | paired cost p50 ms | paired cost p99 ms |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const stream of [false, true]) {
    for (const connections of CONNECTIONS) {
      const group = rows.filter((r) => r.stream === stream && r.connections === connections);
      if (group.length === 0) continue;
      const median = (f) => percentile(group.map(f), 0.5);
      for (const via of VIAS) {
        if (!group[0][via]) continue;
        const over = via === 'hub' || via === 'reference' ? '' : us(median((r) => r[via].p50 - r.hub.p50));
        const cost = via === 'limits' ? [over, us(median((r) => paired(r, 'p50'))), us(median((r) => paired(r, 'p99')))] : [over, '', ''];
        console.log(
          `| ${stream ? 'stream' : 'json'} | ${connections} | ${via} | ${median((r) => r[via].rps)} | ${us(median((r) => r[via].p50 - r.direct.p50))} | ${us(median((r) => r[via].p99 - r.direct.p99))} | ${stream ? us(median((r) => r[via].ttfb50 - r.direct.ttfb50)) : ''} | ${Math.round(median((r) => r[via].cpuPerCallUs))} | ${Math.round(median((r) => r[via].storesCpuPerCallUs))} | ${cost.join(' | ')} |`,
        );
      }
    }
  }
  console.log(
    `\nMetering: ${metering.hubOk} hub 2xx counted; usage rows: ${metering.usage}; holds: ${metering.holds}; one usage row per hold: ${metering.matched ? 'yes' : 'NO'}; ledger:verify ${verify}`,
  );
}

function percentile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** User + system CPU time of a process so far, in ms (clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time so far of every PostgreSQL and Redis server process on the machine, in ms. */
function storesCpuMs() {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (STORES.has(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) total += cpuMs(pid);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 2).join('/');
}

async function fundedKey(base, env) {
  const login = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }';
  const token = (await graphql(base, null, login, { input: { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD } })).login.accessToken;
  const apiKey = (await graphql(base, token, 'mutation { createApiKey(input: {name: "bench ai", scopes: ["ai.use"]}) { secret } }')).createApiKey.secret;
  const userId = (await graphql(base, token, '{ me { id } }')).me.id;
  await graphql(base, token, 'mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { id } }', {
    input: { userId, amount: 100_000_000, reason: 'bench funding' },
  });
  return { apiKey, userApiKey: await userKey(base, token, env.DATABASE_URL), limitedKey: await teamKeyWithLimits(base, token, userId) };
}

function startUpstream() {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', LOAD_CPU, process.execPath, new URL('./fake-openai-process.mjs', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', (chunk) => resolve({ child, url: String(chunk).trim() }));
    child.once('exit', (code) => reject(new Error(`fake upstream exited with ${code}`)));
  });
}

/** The reference gateway on the hub's core, sending OpenAI-format calls on to the fake upstream. */
async function startReference(upstreamUrl) {
  const port = await freePort();
  const child = await startOnHubCore('the reference gateway', [REFERENCE, `--port=${port}`, '--headless'], { PATH: process.env.PATH, NODE_ENV: 'production' }, 'Ready for connections');
  const headers = { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamUrl };
  return { child, url: `http://127.0.0.1:${port}/v1/chat/completions`, headers };
}

function startApi(env) {
  return startOnHubCore('the API', [...NODE_ARGS, MAIN, '--migrate'], env, 'ready: API');
}

/** A Node process on the hub's core, once its output has said `ready`. */
function startOnHubCore(name, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', HUB_CPU, process.execPath, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (!output.includes(ready)) return;
      // From here on its output is only drained, as a log shipper would.
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve(child);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${output}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

