import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { UsageRetentionModule } from './contexts/ai/analytics/usage-retention.module';
import { BillingModule } from './contexts/billing/billing.module';
import { IdentityExternalModule } from './contexts/identity/identity-external.module';
import { DataExportModule } from './contexts/identity/data-export/data-export.module';
import { IdentityModule } from './contexts/identity/identity.module';
import { WebhooksModule } from './contexts/webhooks/webhooks.module';
import { MediaModule } from './contexts/media/media.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { OperationsModule } from './operations/operations.module';
import { DatabaseModule } from './platform/database/database.module';
import { LoggingModule } from './platform/logging/logging.module';
import { MailModule } from './platform/mail/mail.module';
import { OutboxModule } from './platform/outbox/outbox.module';
import { QueueModule } from './platform/queue/queue.module';
import { RedisModule } from './platform/redis/redis.module';

/** The worker process (`npm run start:worker`): queue processors and the outbox relay, no HTTP. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        DatabaseModule,
        RedisModule,
        QueueModule,
        MaintenanceModule.register({ runWorkers: true }),
        // The contexts whose event handlers and jobs run here (their HTTP parts stay unused).
        IdentityModule,
        IdentityExternalModule,
        DataExportModule.register({ runWorkers: true }),
        OutboxModule.register({ runWorkers: true }),
        MailModule.register({ runWorkers: true }),
        BillingModule.register({ runWorkers: true }),
        WebhooksModule.register({ runWorkers: true }),
        // Of the AI context only its retention: the worker serves no AI traffic.
        UsageRetentionModule,
        MediaModule.register({ runWorkers: true, http: false }),
        OperationsModule.register({ runWorkers: true }),
      ],
    };
  }
}
