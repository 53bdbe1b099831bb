import { Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import {
  DeliveryFilter,
  WebhookAttemptInfo,
  WebhookDeliveryInfo,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { WebhookEnqueuer } from './webhook-enqueuer';
import { webhookScope } from './webhook-scope';

/** The delivery log, replay of one delivery and recovery of an endpoint's failed ones. */
@Injectable()
export class WebhookDeliveries {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly enqueuer: WebhookEnqueuer,
  ) {}

  async list(principal: Principal, filter: DeliveryFilter, page: { offset: number; limit: number }) {
    const scope = webhookScope(principal);
    // Someone else's endpoint is NOT_FOUND, not an empty page.
    if (filter.endpointId && !(await this.endpoints.find(filter.endpointId, scope)))
      throw DomainError.notFound('Webhook endpoint');
    return this.deliveries.list(scope, filter, page);
  }

  async get(principal: Principal, id: string): Promise<WebhookDeliveryInfo> {
    const delivery = await this.deliveries.find(id, webhookScope(principal));
    if (!delivery) throw DomainError.notFound('Webhook delivery', { id });
    return delivery;
  }

  attempts(deliveryId: string): Promise<WebhookAttemptInfo[]> {
    return this.deliveries.attempts(deliveryId);
  }

  /** Sends the same message again (same `webhook-id`), whatever became of it. */
  async replay(principal: Principal, id: string): Promise<WebhookDeliveryInfo> {
    const pending = await this.deliveries.replay(id, webhookScope(principal));
    if (!pending) throw DomainError.notFound('Webhook delivery', { id });
    await this.enqueuer.deliver([pending]);
    return this.get(principal, id);
  }

  /**
   * Every failed delivery of the endpoint since `since` is pending again at once (a new round: the
   * log shows them on their way), and one background job sends them; the sweep would, were it lost.
   */
  async recover(principal: Principal, endpointId: string, since: Date): Promise<void> {
    if (!(await this.endpoints.find(endpointId, webhookScope(principal))))
      throw DomainError.notFound('Webhook endpoint', { id: endpointId });
    if (Number.isNaN(since.getTime()) || since.getTime() > Date.now())
      throw DomainError.badInput('since must be a past instant', { field: 'since' });
    await this.deliveries.recoverFailed(endpointId, since);
    await this.enqueuer.recover({ endpointId, since: since.toISOString() });
  }

  successRates(endpointIds: string[]): Promise<Map<string, number | null>> {
    return this.deliveries.successRates(endpointIds);
  }
}
