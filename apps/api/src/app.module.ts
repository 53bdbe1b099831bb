import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { Logger } from 'pino';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AiModule } from './contexts/ai/ai.module';
import { BillingModule } from './contexts/billing/billing.module';
import { IdentityExternalModule } from './contexts/identity/identity-external.module';
import { DataExportModule } from './contexts/identity/data-export/data-export.module';
import { IdentityModule } from './contexts/identity/identity.module';
import { WebhooksModule } from './contexts/webhooks/webhooks.module';
import { MediaModule } from './contexts/media/media.module';
import { ApiGraphqlModule } from './graphql/graphql.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { DashboardModule } from './operations/dashboard/dashboard.module';
import { OperationsModule } from './operations/operations.module';
import { AdminConsoleModule } from './platform/admin-console/admin-console.module';
import { DatabaseModule } from './platform/database/database.module';
import { HealthModule } from './platform/health/health.module';
import { RestExceptionFilter } from './platform/http/rest-exception.filter';
import { WellFormedInputPipe } from './platform/http/well-formed-input.pipe';
import { LoggingModule } from './platform/logging/logging.module';
import { MailModule } from './platform/mail/mail.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { OutboxModule } from './platform/outbox/outbox.module';
import { QueueModule } from './platform/queue/queue.module';
import { RedisModule } from './platform/redis/redis.module';

/** The API process: HTTP, GraphQL and, with WORKERS=inline, the queue workers too. */
@Module({})
export class AppModule {
  static register(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        DatabaseModule,
        RedisModule,
        QueueModule,
        MetricsModule,
        HealthModule,
        IdentityModule,
        IdentityExternalModule,
        DataExportModule.register({ runWorkers: config.workers === 'inline' }),
        OutboxModule.register({ runWorkers: config.workers === 'inline' }),
        MailModule.register({ runWorkers: config.workers === 'inline' }),
        BillingModule.register({ runWorkers: config.workers === 'inline' }),
        AiModule,
        WebhooksModule.register({ runWorkers: config.workers === 'inline' }),
        MediaModule.register({ runWorkers: config.workers === 'inline', http: true }),
        ApiGraphqlModule,
        MaintenanceModule.register({ runWorkers: config.workers === 'inline' }),
        OperationsModule.register({ runWorkers: config.workers === 'inline' }),
        DashboardModule,
        AdminConsoleModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: RestExceptionFilter },
        // Malformed text and invalid dates are refused before validation and before any handler.
        { provide: APP_PIPE, useClass: WellFormedInputPipe },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
      ],
    };
  }
}
