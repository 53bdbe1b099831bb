import type { DataSourceOptions, Logger as TypeOrmLogger } from 'typeorm';
import { DeadlineClient, DeadlineClientConfig, SILENT_SERVER_GRACE_MS } from './deadline-client';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseSettings {
  url: string;
  poolMax: number;
  applicationName: string;
  logger?: TypeOrmLogger;
  /** For the app's pool (API and workers); migrations and one-off tools wait as long as they need. */
  deadlines?: DatabaseDeadlines;
}

export interface DatabaseDeadlines {
  connectTimeoutMs: number;
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

export const MIGRATIONS_TABLE = 'schema_migrations';

export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    // Never derive the schema from entities: migrations are the only source of DDL.
    synchronize: false,
    migrationsRun: false,
    logger: settings.logger,
    logging: settings.logger ? ['error', 'warn', 'migration'] : false,
    extra: {
      max: settings.poolMax,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: settings.applicationName,
      ...(settings.deadlines ? poolDeadlines(settings.deadlines) : {}),
    },
  };
}

/**
 * pg-pool's `connectionTimeoutMillis` bounds waiting for a pooled connection; each new connection has
 * its own connect deadline. The server cancels a statement (or a lock wait) past its timeout and the
 * connection stays usable; a server that says nothing at all is caught by the client's read deadline.
 */
function poolDeadlines(deadlines: DatabaseDeadlines): Partial<DeadlineClientConfig> & Record<string, unknown> {
  return {
    Client: DeadlineClient,
    connectionTimeoutMillis: deadlines.acquireTimeoutMs,
    connectTimeoutMs: deadlines.connectTimeoutMs,
    statement_timeout: deadlines.statementTimeoutMs,
    lock_timeout: deadlines.lockTimeoutMs,
    query_timeout: deadlines.statementTimeoutMs + SILENT_SERVER_GRACE_MS,
  };
}
