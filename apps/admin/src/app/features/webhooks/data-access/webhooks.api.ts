import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RecoverWebhookDeliveriesDocument,
  ReplayWebhookDeliveryDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  WebhookDeliveriesDocument,
  WebhookDeliveryDocument,
  WebhookEndpointsDocument,
  WebhookEventTypesDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';
import type {
  CreateWebhookEndpointInput,
  DeliveriesFilter,
  UpdateWebhookEndpointInput,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookEventType,
} from './webhooks.types';

/**
 * Data access for the webhooks context. The API scopes everything: partners get their own endpoints
 * and deliveries, admins everyone's. Reads are network-only (delivery states change in the
 * background); secrets go through `no-cache` mutations so they never sit in Apollo's cache.
 */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly apollo = inject(Apollo);

  eventTypes(): Observable<readonly WebhookEventType[]> {
    return this.apollo.query({ query: WebhookEventTypesDocument }).pipe(
      requireData(),
      map((data) => data.webhookEventTypes),
    );
  }

  endpoints(): Observable<readonly WebhookEndpoint[]> {
    return this.apollo.query({ query: WebhookEndpointsDocument, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.webhookEndpoints),
    );
  }

  deliveries(filter: DeliveriesFilter): Observable<WebhookDeliveryPage> {
    return this.apollo
      .query({ query: WebhookDeliveriesDocument, variables: { filter }, fetchPolicy: 'network-only' })
      .pipe(
        requireData(),
        map((data) => data.webhookDeliveries),
      );
  }

  /** One delivery with every attempt (request and response). */
  delivery(id: string): Observable<WebhookDeliveryDetail> {
    return this.apollo
      .query({ query: WebhookDeliveryDocument, variables: { id }, fetchPolicy: 'network-only' })
      .pipe(
        requireData(),
        map((data) => data.webhookDelivery),
      );
  }

  createEndpoint(input: CreateWebhookEndpointInput): Observable<WebhookEndpointWithSecret> {
    return this.apollo
      .mutate({ mutation: CreateWebhookEndpointDocument, variables: { input }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.createWebhookEndpoint),
      );
  }

  updateEndpoint(input: UpdateWebhookEndpointInput): Observable<WebhookEndpoint> {
    return this.apollo
      .mutate({ mutation: UpdateWebhookEndpointDocument, variables: { input }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.updateWebhookEndpoint),
      );
  }

  deleteEndpoint(id: string): Observable<boolean> {
    return this.apollo
      .mutate({ mutation: DeleteWebhookEndpointDocument, variables: { id }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.deleteWebhookEndpoint),
      );
  }

  /** A new secret; the previous one keeps signing for 24 hours. */
  rotateSecret(endpointId: string): Observable<WebhookEndpointWithSecret> {
    return this.apollo
      .mutate({ mutation: RotateWebhookSecretDocument, variables: { endpointId }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.rotateWebhookSecret),
      );
  }

  sendTest(endpointId: string): Observable<WebhookDelivery> {
    return this.apollo
      .mutate({ mutation: SendTestWebhookDocument, variables: { endpointId }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.sendTestWebhook),
      );
  }

  /** The same message again, with the same `webhook-id`, as a new round of attempts. */
  replay(deliveryId: string): Observable<WebhookDelivery> {
    return this.apollo
      .mutate({ mutation: ReplayWebhookDeliveryDocument, variables: { deliveryId }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.replayWebhookDelivery),
      );
  }

  /** Re-sends every failed delivery of the endpoint created since then, as one background job. */
  recover(endpointId: string, since: string): Observable<boolean> {
    return this.apollo
      .mutate({
        mutation: RecoverWebhookDeliveriesDocument,
        variables: { input: { endpointId, since } },
        fetchPolicy: 'no-cache',
      })
      .pipe(
        requireData(),
        map((data) => data.recoverWebhookDeliveries),
      );
  }
}
