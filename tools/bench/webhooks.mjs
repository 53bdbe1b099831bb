// Webhook delivery: 1,000 events committed to the outbox at once (as contexts write them) fan out to
// one platform-wide endpoint on a local receiver that answers at once. Measures deliveries per second
// end to end and the time from the events' commit to each delivery, the connections the receiver
// saw (keep-alive reuse) and the machine's load average meanwhile (the machine is shared).
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import pg from 'pg';

export async function benchWebhooks(base, adminToken, graphql, databaseUrl, events = 1_000) {
  const arrivals = new Map();
  const receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      // Only this bench's events: the earlier sections' deducts and AI calls raise service.completed too.
      const bench = JSON.parse(Buffer.concat(chunks).toString('utf8')).data?.service === 'bench';
      if (bench && !arrivals.has(req.headers['webhook-id'])) arrivals.set(req.headers['webhook-id'], Date.now());
      res.writeHead(204).end();
    });
  });
  let connections = 0;
  receiver.on('connection', () => (connections += 1));
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${receiver.address().port}/bench`;
    await graphql(
      base,
      adminToken,
      'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
      {
        input: { url, platformWide: true, eventTypes: ['service.completed'] },
      },
    );
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const loadBefore = loadavg()[0];
    const committedAt = Date.now();
    try {
      await client.query(
        `INSERT INTO outbox_event (type, payload, occurred_at)
         SELECT 'service.completed', jsonb_build_object('userId', gen_random_uuid(), 'transactionId', gen_random_uuid(), 'service', 'bench', 'credits', n), now()
           FROM generate_series(1, $1) AS n`,
        [events],
      );
    } finally {
      await client.end();
    }
    const deadline = Date.now() + 300_000;
    while (arrivals.size < events && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const latencies = [...arrivals.values()].map((at) => at - committedAt).sort((a, b) => a - b);
    const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? null;
    const seconds = (latencies.at(-1) ?? 0) / 1000;
    return {
      events,
      delivered: arrivals.size,
      seconds,
      perSecond: seconds > 0 ? Math.round(arrivals.size / seconds) : 0,
      p50: at(0.5),
      p99: at(0.99),
      connections,
      load: `${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
    };
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
}
