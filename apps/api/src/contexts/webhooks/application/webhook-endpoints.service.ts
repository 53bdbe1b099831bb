import { Injectable } from '@nestjs/common';
import {
  can,
  DomainError,
  normaliseDescription,
  normaliseEventTypes,
  parseWebhookUrl,
  SECRET_ROTATION_OVERLAP_MS,
  webhookBody,
} from '@sah/domain';
import {
  assertSafeHost,
  newWebhookSecret,
  UnsafeWebhookAddressError,
  WebhookEndpointInfo,
  WebhookEndpointRepository,
  WebhookMessageRepository,
} from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { WebhookClock } from './webhook-clock';
import { WebhookEnqueuer } from './webhook-enqueuer';
import { webhookScope } from './webhook-scope';
import { WebhookUrlResolver } from './webhook-url-resolver';

export interface CreateEndpointInput {
  url: string;
  description?: string | null;
  eventTypes?: string[] | null;
  platformWide?: boolean | null;
}

export interface UpdateEndpointInput {
  url?: string | null;
  description?: string | null;
  eventTypes?: string[] | null;
  enabled?: boolean | null;
}

/** Partners' endpoints: create (secret shown once), change, rotate the secret, delete, test. */
@Injectable()
export class WebhookEndpoints {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly messages: WebhookMessageRepository,
    private readonly enqueuer: WebhookEnqueuer,
    private readonly resolver: WebhookUrlResolver,
    private readonly config: AppConfig,
    private readonly clock: WebhookClock,
  ) {}

  list(principal: Principal): Promise<WebhookEndpointInfo[]> {
    return this.endpoints.list(webhookScope(principal));
  }

  async get(principal: Principal, id: string): Promise<WebhookEndpointInfo> {
    return found(await this.endpoints.find(id, webhookScope(principal)));
  }

  async create(
    principal: Principal,
    input: CreateEndpointInput,
  ): Promise<{ endpoint: WebhookEndpointInfo; secret: string }> {
    const platformWide = input.platformWide === true;
    if (platformWide && !can(principal.role, 'webhooks:admin')) {
      throw new DomainError('FORBIDDEN', 'Only administrators may create platform-wide endpoints');
    }
    const url = await this.checkedUrl(input.url);
    const secret = newWebhookSecret();
    const endpoint = await this.endpoints.create({
      ownerId: platformWide ? null : principal.userId,
      platformWide,
      url,
      description: normaliseDescription(input.description),
      eventTypes: normaliseEventTypes(input.eventTypes),
      secret,
      createdBy: principal.userId,
    });
    return { endpoint, secret };
  }

  async update(principal: Principal, id: string, input: UpdateEndpointInput): Promise<WebhookEndpointInfo> {
    const scope = webhookScope(principal);
    found(await this.endpoints.find(id, scope));
    return found(
      await this.endpoints.update(id, scope, {
        url: input.url == null ? undefined : await this.checkedUrl(input.url),
        description: input.description == null ? undefined : normaliseDescription(input.description),
        eventTypes: input.eventTypes == null ? undefined : normaliseEventTypes(input.eventTypes),
        enabled: input.enabled ?? undefined,
      }),
    );
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!(await this.endpoints.remove(id, webhookScope(principal))))
      throw DomainError.notFound('Webhook endpoint', { id });
  }

  /** A new secret; the old one keeps signing (a second signature) for 24 hours. */
  async rotateSecret(
    principal: Principal,
    id: string,
  ): Promise<{ endpoint: WebhookEndpointInfo; secret: string }> {
    const secret = newWebhookSecret();
    const endpoint = found(
      await this.endpoints.rotateSecret(
        id,
        webhookScope(principal),
        secret,
        new Date(this.clock.now().getTime() + SECRET_ROTATION_OVERLAP_MS),
      ),
    );
    return { endpoint, secret };
  }

  /** A `webhook.test` message to this endpoint alone; returns its delivery id. */
  async sendTest(principal: Principal, id: string): Promise<string> {
    const endpoint = found(await this.endpoints.find(id, webhookScope(principal)));
    if (!endpoint.enabled) throw DomainError.badInput('The endpoint is disabled: enable it first', { id });
    const orderingKey = endpoint.ownerId ?? 'platform';
    const pending = await this.messages.fanOut(
      {
        eventType: 'webhook.test',
        sourceEventId: null,
        userId: endpoint.ownerId,
        orderingKey,
        body: (sequence) =>
          webhookBody({
            type: 'webhook.test',
            occurredAt: new Date(),
            data: { endpointId: endpoint.id },
            orderingKey,
            sequence,
          }),
      },
      { endpointId: endpoint.id },
    );
    const delivery = pending[0];
    if (!delivery) throw DomainError.badInput('The endpoint does not subscribe to webhook.test', { id });
    await this.enqueuer.deliver(pending);
    return delivery.deliveryId;
  }

  private async checkedUrl(value: string): Promise<string> {
    const target = parseWebhookUrl(value, { allowPrivate: this.config.webhooks.allowPrivateUrls });
    try {
      await assertSafeHost(
        target.host,
        { allowLoopback: this.config.webhooks.allowPrivateUrls, loopbackOnly: target.loopbackOnly },
        (host) => this.resolver.resolve(host),
      );
    } catch (error) {
      if (error instanceof UnsafeWebhookAddressError)
        throw DomainError.badInput(error.message, { field: 'url' });
      throw DomainError.badInput(`url's host could not be resolved: ${target.host}`, { field: 'url' });
    }
    return target.url.toString();
  }
}

function found<T>(value: T | null): T {
  if (value === null) throw DomainError.notFound('Webhook endpoint');
  return value;
}
