import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { pageWindow } from '../../billing/graphql/paging';
import { PageInfoObject } from '../../identity/graphql/user.object';
import { WebhookDeliveries } from '../application/webhook-deliveries.service';
import { WebhookEndpoints } from '../application/webhook-endpoints.service';
import {
  CreateWebhookEndpointInput,
  RecoverWebhookDeliveriesInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveriesFilter,
} from './webhook.inputs';
import {
  WebhookAttemptObject,
  WebhookDeliveryObject,
  WebhookDeliveryPageObject,
  WebhookEndpointObject,
  WebhookEndpointWithSecretObject,
  WebhookEventTypeObject,
} from './webhook.objects';

/** Partners' webhook endpoints and delivery log (their own; admins: all). */
@Resolver()
export class WebhooksResolver {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  @Query(() => [WebhookEventTypeObject], { description: 'The event catalogue' })
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  webhookEventTypes(): WebhookEventTypeObject[] {
    return WebhookEventTypeObject.all();
  }

  @Query(() => [WebhookEndpointObject])
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async webhookEndpoints(@CurrentPrincipal() principal: Principal): Promise<WebhookEndpointObject[]> {
    const endpoints = await this.endpoints.list(principal);
    const rates = await this.deliveries.successRates(endpoints.map((e) => e.id));
    return endpoints.map((endpoint) => WebhookEndpointObject.from(endpoint, rates.get(endpoint.id) ?? null));
  }

  @Query(() => WebhookDeliveryPageObject, { description: 'Newest first' })
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async webhookDeliveries(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => WebhookDeliveriesFilter, nullable: true }) filter?: WebhookDeliveriesFilter,
  ): Promise<WebhookDeliveryPageObject> {
    const { page, perPage, offset, limit } = pageWindow(filter);
    const { items, total } = await this.deliveries.list(
      principal,
      {
        endpointId: filter?.endpointId,
        eventType: filter?.eventType,
        status: filter?.status,
        from: filter?.from,
        to: filter?.to,
      },
      { offset, limit },
    );
    return {
      items: items.map(WebhookDeliveryObject.from),
      pageInfo: PageInfoObject.of(page, perPage, total),
    };
  }

  @Query(() => WebhookDeliveryObject)
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async webhookDelivery(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<WebhookDeliveryObject> {
    return WebhookDeliveryObject.from(await this.deliveries.get(principal, id));
  }

  @Mutation(() => WebhookEndpointWithSecretObject)
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async createWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecretObject> {
    const { endpoint, secret } = await this.endpoints.create(principal, input);
    return { endpoint: WebhookEndpointObject.from(endpoint), secret };
  }

  @Mutation(() => WebhookEndpointObject)
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async updateWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpointObject> {
    return WebhookEndpointObject.from(await this.endpoints.update(principal, input.id, input));
  }

  @Mutation(() => Boolean)
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async deleteWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    await this.endpoints.remove(principal, id);
    return true;
  }

  @Mutation(() => WebhookEndpointWithSecretObject, {
    description: 'A new secret; the previous one also signs for 24 hours',
  })
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async rotateWebhookSecret(
    @CurrentPrincipal() principal: Principal,
    @Args('endpointId', { type: () => ID }) endpointId: string,
  ): Promise<WebhookEndpointWithSecretObject> {
    const { endpoint, secret } = await this.endpoints.rotateSecret(principal, endpointId);
    return { endpoint: WebhookEndpointObject.from(endpoint), secret };
  }

  @Mutation(() => WebhookDeliveryObject, { description: 'Sends a webhook.test event to the endpoint' })
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async sendTestWebhook(
    @CurrentPrincipal() principal: Principal,
    @Args('endpointId', { type: () => ID }) endpointId: string,
  ): Promise<WebhookDeliveryObject> {
    const deliveryId = await this.endpoints.sendTest(principal, endpointId);
    return WebhookDeliveryObject.from(await this.deliveries.get(principal, deliveryId));
  }

  @Mutation(() => WebhookDeliveryObject, {
    description: 'Sends the same message again, with the same webhook-id',
  })
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async replayWebhookDelivery(
    @CurrentPrincipal() principal: Principal,
    @Args('deliveryId', { type: () => ID }) deliveryId: string,
  ): Promise<WebhookDeliveryObject> {
    return WebhookDeliveryObject.from(await this.deliveries.replay(principal, deliveryId));
  }

  @Mutation(() => Boolean, {
    description: 'Re-sends every failed delivery of the endpoint since a time, in the background',
  })
  @RequirePermission('webhooks:manage')
  @ApiKeyScope('webhooks.manage')
  async recoverWebhookDeliveries(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RecoverWebhookDeliveriesInput,
  ): Promise<boolean> {
    await this.deliveries.recover(principal, input.endpointId, input.since);
    return true;
  }
}

/** A delivery's attempt log, read only when asked for. */
@Resolver(() => WebhookDeliveryObject)
export class WebhookDeliveryFieldsResolver {
  constructor(private readonly deliveries: WebhookDeliveries) {}

  @ResolveField(() => [WebhookAttemptObject], {
    description: 'Every attempt, oldest first: request and response',
  })
  async attempts(@Parent() delivery: WebhookDeliveryObject): Promise<WebhookAttemptObject[]> {
    return (await this.deliveries.attempts(delivery.id)).map(WebhookAttemptObject.from);
  }
}
