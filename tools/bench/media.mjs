// Media queue benchmark: image jobs against a provider that answers at once (the bench upstream), so
// the figures show what the hub adds: holds, moderation, the queue, storage, settlement. The machine is
// shared, so beside jobs/s it reports the CPU spent per job by the hub's processes, by PostgreSQL and
// Redis, and by this bench process itself (its client and fake provider), and the load average.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { Pool } from 'undici';
import { markVerified } from './bench-support.mjs';

const JOBS = Number(process.env.BENCH_MEDIA_JOBS ?? 1000);
/**
 * Jobs run before the measured rounds and not reported, so that these do not time the JIT's warm-up:
 * after 300 the next round still cost the API 30 % more CPU per job than the one after it; after 1,000
 * the two rounds cost about the same.
 */
const WARM_UP_JOBS = Number(process.env.BENCH_MEDIA_WARM_UP_JOBS ?? 1000);
const CREATE_CONCURRENCY = 50;
/** The second round spreads the jobs over this many users. */
const SPREAD_USERS = 20;
const CREATE_IMAGE = 'mutation { createImageJob(input: { prompt: "a bench picture" }) { id } }';
const FUND = 'mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { id } }';

/**
 * After WARM_UP_JOBS jobs (not reported), two rounds of JOBS image jobs (created 50 at a time), each
 * waited for until all are settled: all from one user, whose credit account row every hold and
 * capture locks in turn (the ledger's hot row, as in the deducts bench), then spread over 20 users.
 * Each reports jobs/s from the first create to the last settlement and createImageJob's own latency
 * (p50/p99). `pids`: the API (and worker) processes whose CPU time is counted; `databaseUrl`: the
 * bench database.
 */
export async function benchMedia(base, adminToken, graphql, pids, databaseUrl) {
  const admin = { id: (await graphql(base, adminToken, '{ me { id } }')).me.id, token: adminToken };
  const spread = [admin];
  for (let i = 1; i < SPREAD_USERS; i += 1) {
    const input = { email: `bench-media-${i}@example.com`, password: 'Bench-Passw0rd', name: `Media ${i}` };
    const id = (await graphql(base, null, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', { input })).register.id;
    await markVerified(databaseUrl, id);
    const login = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }';
    const token = (await graphql(base, null, login, { input: { email: input.email, password: input.password } })).login.accessToken;
    spread.push({ id, token });
  }
  // The creates go over undici's pool, not fetch: the bench shares the machine's two cores with the
  // hub, and fetch costs about five times the client CPU per call.
  const client = new Pool(base, { connections: CREATE_CONCURRENCY });
  const database = new pg.Client({ connectionString: databaseUrl });
  await database.connect();
  const rounds = [];
  try {
    // The admin's: the users' own rate limit (60 a minute) leaves them room for their round only.
    await roundOf(client, database, graphql, base, adminToken, [admin], pids, WARM_UP_JOBS);
    for (const users of [[admin], spread]) rounds.push(await roundOf(client, database, graphql, base, adminToken, users, pids, JOBS));
  } finally {
    await database.end();
    await client.close();
  }
  return rounds;
}

async function roundOf(client, database, graphql, base, adminToken, users, pids, jobs) {
  for (const user of users) {
    await graphql(base, adminToken, FUND, { input: { userId: user.id, amount: Math.ceil(jobs / users.length) * 50, reason: 'bench media funding' } });
  }
  const latencies = [];
  let next = 0;
  const loadBefore = loadavg()[0];
  const cpuBefore = cpuMs(pids);
  const serversBefore = serverCpuMs();
  const benchBefore = process.cpuUsage();
  const started = new Date();
  const from = process.hrtime.bigint() / 1000n;
  const body = JSON.stringify({ query: CREATE_IMAGE });
  const creator = async () => {
    while (next < jobs) {
      const user = users[next % users.length];
      next += 1;
      const t0 = performance.now();
      const res = await client.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` }, body });
      const { data, errors } = await res.body.json();
      if (!data?.createImageJob) throw new Error(`createImageJob failed: ${JSON.stringify(errors)}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, creator));
  const created = Date.now();
  // Read from the bench database (it holds this bench's jobs only), so that the round ends at its last
  // settlement's own time rather than at the next poll, and the polls cost the hub nothing.
  const progress = async () =>
    (
      await database.query(
        `SELECT count(*) FILTER (WHERE status = 'succeeded' AND settled_at IS NOT NULL)::int AS done,
                count(settled_at)::int AS settled, count(*)::int AS total, max(settled_at) AS last
           FROM media_job WHERE created_at >= $1`,
        [started],
      )
    ).rows[0];
  let state;
  while ((state = await progress()).settled < state.total && Date.now() - created < 300_000) await new Promise((resolve) => setTimeout(resolve, 50));
  const done = state.done;
  const seconds = ((state.last ?? new Date()).getTime() - started.getTime()) / 1000;
  // Monotonic µs, the clock of the hub's --cpu-prof samples: cpu-profile-summary.mjs --window picks this round.
  if (process.env.BENCH_API_NODE_ARGS?.includes('--cpu-prof')) {
    console.log(`profile window media users:${users.length} jobs:${jobs} --window ${from}-${process.hrtime.bigint() / 1000n}`);
  }
  const perJob = (ms) => (ms / Math.max(done, 1)).toFixed(1);
  const cpuPerJob = perJob(cpuMs(pids) - cpuBefore);
  const servers = serverCpuMs();
  const bench = process.cpuUsage(benchBefore);
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  return {
    users: users.length,
    jobs,
    succeeded: done,
    seconds: seconds.toFixed(1),
    jobsPerSecond: Math.round(done / seconds),
    createdSeconds: ((created - started.getTime()) / 1000).toFixed(1),
    createP50: at(0.5),
    createP99: at(0.99),
    cpuPerJob,
    postgresCpuPerJob: perJob(servers.postgres - serversBefore.postgres),
    redisCpuPerJob: perJob(servers.redis - serversBefore.redis),
    benchCpuPerJob: perJob((bench.user + bench.system) / 1000),
    load: `${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
  };
}

/** User + system CPU time of the processes, in ms (Linux /proc, 100 ticks a second). */
function cpuMs(pids) {
  return pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
}

function processCpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time of every PostgreSQL and Redis process on this machine, in ms: the bench's connections are
 * most of their work during a round (a backend that exits within the round is not counted).
 */
function serverCpuMs() {
  const totals = { postgres: 0, redis: 0 };
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (name === 'postgres') totals.postgres += processCpuMs(pid);
      else if (name === 'redis-server') totals.redis += processCpuMs(pid);
    } catch {
      // gone meanwhile
    }
  }
  return totals;
}
