import { FactoryProvider, Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { buildDataSourceOptions, typeOrmLogger } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ROOT_LOGGER } from '../logging/logging.module';
import { initializeAtBoot } from './initialize-at-boot';

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  /** Last shutdown phase: queue workers have finished their jobs by now (they close earlier). */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Provides `token` as an instance built on the shared DataSource (repositories, query objects). */
export function repositoryProvider<T>(token: abstract new (...args: never[]) => T, make: (dataSource: DataSource) => T): FactoryProvider<T> {
  return { provide: token, inject: [DataSource], useFactory: make };
}

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [AppConfig, ROOT_LOGGER],
      useFactory: async (config: AppConfig, logger: Logger) => {
        const dataSource = new DataSource(
          buildDataSourceOptions({
            url: config.database.url,
            poolMax: config.database.poolMax,
            deadlines: config.database.deadlines,
            applicationName: 'smart-ai-hub',
            logger: typeOrmLogger(logger.child({ component: 'typeorm' })),
          }),
        );
        return initializeAtBoot(dataSource, logger);
      },
    },
    DatabaseLifecycle,
  ],
  exports: [DataSource],
})
export class DatabaseModule {}
