import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import {
  SecretBox,
  WEBHOOK_QUEUE,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
  WebhookHttpSender,
  WebhookMessageRepository,
} from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { WebhookClock } from './application/webhook-clock';
import { WebhookDeliveries } from './application/webhook-deliveries.service';
import { WebhookEndpoints } from './application/webhook-endpoints.service';
import { WebhookEnqueuer } from './application/webhook-enqueuer';
import { WebhookPersonalData } from './application/webhook-personal-data';
import { WebhookUrlResolver } from './application/webhook-url-resolver';
import { WebhookEventSource } from './events/webhook-event-source';
import { WebhookMails } from './events/webhook-mails';
import { WebhookDeliveryFieldsResolver, WebhooksResolver } from './graphql/webhooks.resolver';
import { WebhookEndpointsController, WebhookEventTypesController } from './http/webhooks.controller';
import { EndpointThrottle } from './jobs/endpoint-throttle';
import { WebhookDeliveryProcessor } from './jobs/webhook-delivery.processor';
import { WebhookScheduler } from './jobs/webhook.scheduler';

/**
 * The webhooks bounded context: partners' endpoints, the fan-out of outbox events into signed
 * messages, and their delivery (the `webhooks` queue's processor runs where workers run).
 */
@Module({})
export class WebhooksModule {
  static register(options: { runWorkers: boolean }): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [BullModule.registerQueue({ name: WEBHOOK_QUEUE })],
      controllers: [WebhookEventTypesController, WebhookEndpointsController],
      providers: [
        {
          provide: WebhookEndpointRepository,
          inject: [DataSource, AppConfig],
          useFactory: (ds: DataSource, config: AppConfig) =>
            new WebhookEndpointRepository(ds, new SecretBox(config.encryptionKey, config.previousEncryptionKeys)),
        },
        {
          provide: WebhookMessageRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new WebhookMessageRepository(ds),
        },
        {
          provide: WebhookDeliveryRepository,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new WebhookDeliveryRepository(ds),
        },
        {
          provide: WebhookHttpSender,
          inject: [AppConfig, WebhookUrlResolver],
          useFactory: (config: AppConfig, resolver: WebhookUrlResolver) =>
            new WebhookHttpSender({
              allowLoopback: config.webhooks.allowPrivateUrls,
              timeoutMs: config.webhooks.timeoutMs,
              resolve: (host) => resolver.resolve(host),
            }),
        },
        WebhookUrlResolver,
        WebhookClock,
        WebhookEnqueuer,
        WebhookEndpoints,
        WebhookPersonalData,
        WebhookDeliveries,
        WebhookEventSource,
        WebhookMails,
        WebhooksResolver,
        WebhookDeliveryFieldsResolver,
        ...(options.runWorkers ? [EndpointThrottle, WebhookDeliveryProcessor, WebhookScheduler] : []),
      ],
      exports: [WebhookUrlResolver],
    };
  }
}
