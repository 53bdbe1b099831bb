import { SecretBox } from '@sah/infrastructure';
import { cloneTestDatabase } from '@sah/infrastructure/testing';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { assertBuilt, BUILT_MAIN, freePort, RunningProcess, startProcess } from './support/api-process';
import { eventually, requiredEnv } from './support/test-app';

const ENCRYPTION_KEY = '11'.repeat(32);
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const EVENTS = 1_000;

/**
 * The built API is killed (SIGKILL) while deliveries are in flight, 1,000 events in; after a restart
 * every event is delivered (at least once, each under one webhook-id) and every delivery ends delivered.
 */
describe('Webhooks: the API process killed mid-delivery', () => {
  beforeAll(assertBuilt);

  it('delivers every one of 1,000 events after a restart, none lost', async () => {
    const database = await cloneTestDatabase(requiredEnv('TEST_TEMPLATE_DATABASE_URL'));
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    // The first request is held open, and so is every request after the 50th until the restart: the
    // process dies with deliveries in flight and most events not yet delivered. The rest are answered 200.
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    let holding = true;
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (received.length === 1 || (holding && received.length > 50)) return;
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const env = async () => ({
      PORT: String(await freePort()),
      DATABASE_URL: database.url,
      REDIS_URL: requiredEnv('TEST_REDIS_URL'),
      REDIS_KEY_PREFIX: `${requiredEnv('TEST_REDIS_PREFIX')}crash-${randomUUID().slice(0, 8)}:`,
      ADMIN_DIST_DIR: join(tmpdir(), 'sah-no-console'),
      ENCRYPTION_KEY,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      OUTBOX_POLL_MS: '100',
    });
    const shared = await env();
    let running: RunningProcess | undefined;
    try {
      running = startProcess([BUILT_MAIN], shared);
      await running.waitFor(/ready: API/, 60_000);

      const sealed = new SecretBox(Buffer.from(ENCRYPTION_KEY, 'hex')).seal(SECRET);
      await db.query(
        `INSERT INTO webhook_endpoint (platform_wide, url, secret_ciphertext, secret_iv, secret_auth_tag, created_by)
         VALUES (true, $1, $2, $3, $4, $5)`,
        [receiverUrl, sealed.ciphertext, sealed.iv, sealed.authTag, randomUUID()],
      );
      // As contexts write them: 1,000 stored events, each for its own user.
      await db.query(
        `INSERT INTO outbox_event (type, payload, occurred_at)
         SELECT 'credit.low', jsonb_build_object('userId', gen_random_uuid(), 'from', 'ok', 'to', 'low', 'available', 3, 'threshold', 10), now()
         FROM generate_series(1, ${EVENTS})`,
      );
      await eventually(
        async () => received.length,
        (n) => n > 50,
        60_000,
      );
      expect(received.length).toBeGreaterThan(50);

      running.child.kill('SIGKILL');
      await running.exited;
      holding = false;
      running = startProcess([BUILT_MAIN], { ...shared, PORT: String(await freePort()) });
      await running.waitFor(/ready: API/, 60_000);

      // BullMQ finds the dead worker's job stalled once its lock lapses (30 s) and runs it again.
      const countsOf = async () =>
        (
          await db.query(
            `SELECT count(*)::int AS deliveries, count(*) FILTER (WHERE status = 'delivered')::int AS delivered FROM webhook_delivery`,
          )
        ).rows[0] as { deliveries: number; delivered: number };
      const counts = await eventually(countsOf, (now) => now.delivered === EVENTS, 150_000);
      expect(counts).toEqual({ deliveries: EVENTS, delivered: EVENTS });

      // Every event reached the receiver, each under one webhook-id; the held one was sent again.
      const ids = received.map((request) => request.headers['webhook-id']);
      expect(new Set(ids).size).toBe(EVENTS);
      expect(ids.filter((id) => id === ids[0]).length).toBeGreaterThanOrEqual(2);
      const users = new Set(
        received.map(
          (request) =>
            (new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>) as { data: { userId: string } })
              .data.userId,
        ),
      );
      expect(users.size).toBe(EVENTS);
    } finally {
      running?.child.kill('SIGKILL');
      await running?.exited;
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
      await db.end();
      await database.drop();
    }
  }, 300_000);
});
