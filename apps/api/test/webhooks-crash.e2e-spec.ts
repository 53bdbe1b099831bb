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

/**
 * The built API is killed (SIGKILL) while a delivery is in flight; after a restart the message is
 * delivered (at least once, the same webhook-id), and the delivery ends delivered.
 */
describe('Webhooks: the API process killed mid-delivery', () => {
  beforeAll(assertBuilt);

  it('delivers the message after a restart', async () => {
    const database = await cloneTestDatabase(requiredEnv('TEST_TEMPLATE_DATABASE_URL'));
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    // The first request is held open (the process dies during it); later ones are answered 200.
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (received.length > 1) res.writeHead(200).end('ok');
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
      // As a context writes it: one stored event.
      await db.query(
        `INSERT INTO outbox_event (type, payload, occurred_at) VALUES ('credit.low', $1, now())`,
        [{ userId: randomUUID(), from: 'ok', to: 'low', available: 3, threshold: 10 }],
      );
      await eventually(
        async () => received.length,
        (n) => n >= 1,
        30_000,
      );
      expect(received).toHaveLength(1);

      running.child.kill('SIGKILL');
      await running.exited;
      running = startProcess([BUILT_MAIN], { ...shared, PORT: String(await freePort()) });
      await running.waitFor(/ready: API/, 60_000);

      // BullMQ finds the dead worker's job stalled once its lock lapses (30 s) and runs it again.
      const status = await eventually(
        async () =>
          ((await db.query(`SELECT status FROM webhook_delivery`)).rows as Array<{ status: string }>).map(
            (row) => row.status,
          ),
        (statuses) => statuses[0] === 'delivered',
        120_000,
      );
      expect(status).toEqual(['delivered']);
      expect(received.length).toBeGreaterThanOrEqual(2);
      const ids = new Set(received.map((request) => request.headers['webhook-id']));
      expect(ids.size).toBe(1);
      const last = received.at(-1);
      expect(
        new Webhook(SECRET).verify(last?.body ?? '', last?.headers as Record<string, string>),
      ).toMatchObject({ type: 'credit.low' });
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
