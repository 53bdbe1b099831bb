import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DataExportStore, PersonalDataQuery, QUEUES } from '@sah/infrastructure';
import { repositoryProvider } from '../../../platform/database/database.module';
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
        repositoryProvider(DataExportStore, (dataSource) => new DataExportStore(dataSource)),
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
