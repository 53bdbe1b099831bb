// Media queue benchmark: image jobs against a provider that answers at once (the bench upstream), so
// the figures show what the hub adds: holds, moderation, the queue, storage, settlement.
const JOBS = Number(process.env.BENCH_MEDIA_JOBS ?? 1000);
const CREATE_CONCURRENCY = 50;
const CREATE_IMAGE = 'mutation { createImageJob(input: { prompt: "a bench picture" }) { id } }';

/**
 * Creates JOBS image jobs (50 at a time) and waits until all are settled: jobs/s from the first
 * create to the last settlement, and createImageJob's own latency (p50/p99) while doing so.
 */
export async function benchMedia(base, adminToken, graphql) {
  const me = (await graphql(base, adminToken, '{ me { id } }')).me.id;
  await graphql(base, adminToken, 'mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { id } }', {
    input: { userId: me, amount: JOBS * 50, reason: 'bench media funding' },
  });
  const latencies = [];
  let next = 0;
  const started = Date.now();
  const creator = async () => {
    while (next < JOBS) {
      next += 1;
      const t0 = performance.now();
      await graphql(base, adminToken, CREATE_IMAGE);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, creator));
  const created = Date.now();
  const finished = async () =>
    (await graphql(base, adminToken, `query ($u: ID!) { mediaJobs(filter: { userId: $u, status: SUCCEEDED }, perPage: 1) { pageInfo { total } } }`, { u: me }))
      .mediaJobs.pageInfo.total;
  let done = 0;
  while ((done = await finished()) < JOBS && Date.now() - created < 300_000) await new Promise((resolve) => setTimeout(resolve, 200));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  return { jobs: JOBS, succeeded: done, seconds: seconds.toFixed(1), jobsPerSecond: Math.round(done / seconds), createP50: at(0.5), createP99: at(0.99) };
}
