import { Injectable, OnModuleInit } from '@nestjs/common';
import { WebhookEndpointRepository } from '@sah/infrastructure';
import { PersonalData } from '../../identity/data-export/personal-data';

/** The user's webhook endpoints for their GDPR export (never their signing secrets). */
@Injectable()
export class WebhookPersonalData implements OnModuleInit {
  constructor(
    private readonly sections: PersonalData,
    private readonly endpoints: WebhookEndpointRepository,
  ) {}

  onModuleInit(): void {
    this.sections.register('webhookEndpoints', async (userId) =>
      (await this.endpoints.list({ ownerId: userId })).map((endpoint) => ({
        id: endpoint.id,
        url: endpoint.url,
        description: endpoint.description,
        eventTypes: endpoint.eventTypes,
        enabled: endpoint.enabled,
        disabledReason: endpoint.disabledReason,
        createdAt: endpoint.createdAt,
        updatedAt: endpoint.updatedAt,
      })),
    );
  }
}
