// PostgreSQL's own rate for a single-row UPDATE on one hot row: the ceiling any ledger that keeps a
// running balance per account must stay under when every request hits the same account.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * Transactions per second at `clients` concurrent sessions for `seconds`, via pgbench when installed.
 * Sessions are capped below the server's max_connections (the API's own pool is far smaller).
 */
export async function hotRowUpdateRate(databaseUrl, requestedClients, seconds) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CREATE TABLE IF NOT EXISTS bench_hot_row (id int PRIMARY KEY, n bigint NOT NULL)');
  await client.query('INSERT INTO bench_hot_row VALUES (1, 0) ON CONFLICT (id) DO NOTHING');
  const { rows } = await client.query('SHOW max_connections');
  await client.end();
  const clients = Math.min(requestedClients, Number(rows[0].max_connections) - 20);
  try {
    const script = join(tmpdir(), `bench-hot-row-${process.pid}.sql`);
    writeFileSync(script, 'UPDATE bench_hot_row SET n = n + 1 WHERE id = 1;\n');
    const { stdout } = await run('pgbench', ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script, databaseUrl]);
    return { tool: `pgbench, ${clients} sessions`, tps: Math.round(Number(/tps = ([\d.]+)/.exec(stdout)?.[1])) };
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    return { tool: `node pg script, ${clients} sessions`, tps: await withNodeClients(databaseUrl, clients, seconds) };
  }
}

async function withNodeClients(databaseUrl, clients, seconds) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: clients });
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        await pool.query('UPDATE bench_hot_row SET n = n + 1 WHERE id = 1');
        done += 1;
      }
    }),
  );
  await pool.end();
  return Math.round(done / seconds);
}
