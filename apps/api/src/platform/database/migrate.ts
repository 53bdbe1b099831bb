import { runMigrations, typeOrmLogger } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';

export async function migrate(config: AppConfig, logger: Logger): Promise<string[]> {
  const applied = await runMigrations({
    url: config.database.url,
    poolMax: 2,
    applicationName: 'smart-ai-hub-migrate',
    logger: typeOrmLogger(logger.child({ component: 'migrations' })),
  });
  logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
  return applied;
}
