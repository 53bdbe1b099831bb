import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DataExportStore, PersonalDataQuery, QUEUES } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { repositoryProvider } from '../../../platform/database/database.module';
import { personalDataKeyring } from '../personal-data/personal-data-codec';
import { DataExportController } from './data-export.controller';
import { DataExportProcessor } from './data-export.processor';
import { DataExportResolver } from './data-export.resolver';
import { DataExports } from './data-exports.service';
import { PersonalData } from './personal-data';

/**
 * GDPR exports (identity context). Global so every context can register its section of a user's
 * data; the job only runs where workers run.
 */
@Module({})
export class DataExportModule {
  static register(options: { runWorkers: boolean }): DynamicModule {
    return {
      module: DataExportModule,
      global: true,
      imports: [BullModule.registerQueue({ name: QUEUES.dataExport })],
      controllers: [DataExportController],
      providers: [
        {
          provide: DataExportStore,
          inject: [DataSource, AppConfig],
          useFactory: (dataSource: DataSource, config: AppConfig) => new DataExportStore(dataSource, personalDataKeyring(config)),
        },
        repositoryProvider(PersonalDataQuery, (dataSource) => new PersonalDataQuery(dataSource)),
        PersonalData,
        DataExports,
        DataExportResolver,
        ...(options.runWorkers ? [DataExportProcessor] : []),
      ],
      exports: [PersonalData],
    };
  }
}
