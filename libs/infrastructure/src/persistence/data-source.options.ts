import type { DataSourceOptions, Logger as TypeOrmLogger } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseSettings {
  url: string;
  poolMax: number;
  applicationName: string;
  logger?: TypeOrmLogger;
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
    },
  };
}
