import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { openListPage } from '../../../shared/testing/routed-list-page';
import { routedPage } from '../../../shared/testing/routed-page';
import type { WebhookEndpoint } from '../data-access/webhooks.types';
import { WebhookEndpointsComponent } from './webhook-endpoints.component';

/** Server-shaped test data, with __typename as Apollo's cache expects. */
const EVENT_TYPES = [
  { __typename: 'WebhookEventType', type: 'user.created', description: 'A user registered' },
  { __typename: 'WebhookEventType', type: 'webhook.test', description: 'Sent from the console' },
];

function anEndpoint(
  overrides: Partial<WebhookEndpoint> = {},
): WebhookEndpoint & { __typename: 'WebhookEndpoint' } {
  return {
    __typename: 'WebhookEndpoint',
    id: 'ep-1',
    url: 'https://hooks.example.com/in',
    description: 'CRM sync',
    eventTypes: [],
    enabled: true,
    disabledReason: null,
    failingSince: null,
    ownerId: 'user-1',
    platformWide: false,
    previousSecretExpiresAt: null,
    successRate: 0.75,
    createdAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

describe('WebhookEndpointsComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  openListPage('webhooks', WebhookEndpointsComponent, (page) => ({ harness, apollo } = page));

  const { rows, settle, overlay, inDialog: inOverlay } = routedPage(() => harness, 'webhook-endpoint-row');

  async function answer(endpoints: WebhookEndpoint[]): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('WebhookEventTypes'))).flushData({
      webhookEventTypes: EVENT_TYPES,
    });
    (await vi.waitFor(() => apollo.expectOne('WebhookEndpoints'))).flushData({ webhookEndpoints: endpoints });
    (await vi.waitFor(() => apollo.expectOne('WebhookDeliveries'))).flushData({
      webhookDeliveries: {
        __typename: 'WebhookDeliveryPage',
        items: [],
        pageInfo: { __typename: 'PageInfo', page: 1, perPage: 20, total: 0, totalPages: 0 },
      },
    });
    await harness.fixture.whenStable();
  }

  async function menuItem(row: HTMLElement, id: string): Promise<void> {
    row.querySelector<HTMLElement>('[data-testid="endpoint-menu"]')?.click();
    await settle(() => expect(inOverlay(id)).not.toBeNull());
    inOverlay(id).click();
  }

  it('shows each endpoint’s state, why it was disabled, its events and success rate', async () => {
    await answer([
      anEndpoint(),
      anEndpoint({
        id: 'ep-2',
        url: 'https://gone.example.com/in',
        enabled: false,
        disabledReason: 'The endpoint answered 410 Gone',
        eventTypes: ['user.created'],
        successRate: null,
      }),
    ]);

    await settle(() => expect(rows().map((row) => row.dataset['id'])).toEqual(['ep-1', 'ep-2']));
    const [live, gone] = rows();
    expect(live.querySelector('[data-testid="endpoint-status"]')?.textContent).toContain('Enabled');
    expect(live.textContent).toContain('All events');
    expect(live.querySelector('[data-testid="endpoint-success-rate"]')?.textContent?.trim()).toBe('75%');
    expect(gone.querySelector('[data-testid="endpoint-status"]')?.textContent).toContain('Disabled');
    expect(gone.querySelector('[data-testid="endpoint-disabled-reason"]')?.textContent).toContain('410 Gone');
    expect(gone.textContent).toContain('user.created');
    expect(gone.querySelector<HTMLButtonElement>('[data-testid="endpoint-send-test"]')?.disabled).toBe(true);
  });

  it('edits the description and event types of an endpoint', async () => {
    await answer([anEndpoint({ eventTypes: ['user.created'] })]);
    await settle(() => expect(rows()).toHaveLength(1));

    await menuItem(rows()[0], 'endpoint-edit');
    await settle(() => expect(inOverlay('webhook-endpoint-form')).not.toBeNull());
    const description = inOverlay<HTMLInputElement>('webhook-description');
    expect(description.value).toBe('CRM sync');
    description.value = '  Billing sync ';
    description.dispatchEvent(new Event('input'));
    inOverlay('webhook-endpoint-save').click();

    const update = await vi.waitFor(() => apollo.expectOne('UpdateWebhookEndpoint'));
    expect(update.operation.variables['input']).toEqual({
      id: 'ep-1',
      url: 'https://hooks.example.com/in',
      description: 'Billing sync',
      eventTypes: ['user.created'],
    });
    update.flushData({ updateWebhookEndpoint: anEndpoint({ description: 'Billing sync' }) });
    (await vi.waitFor(() => apollo.expectOne('WebhookEndpoints'))).flushData({
      webhookEndpoints: [anEndpoint({ description: 'Billing sync' })],
    });
    await settle(() => expect(rows()[0].textContent).toContain('Billing sync'));
  });

  it('rotates the secret after saying the old one keeps signing for 24 hours, then shows the new one once', async () => {
    await answer([anEndpoint()]);
    await settle(() => expect(rows()).toHaveLength(1));

    await menuItem(rows()[0], 'endpoint-rotate');
    await settle(() => expect(overlay().textContent).toContain('keeps signing for 24 hours'));
    inOverlay('confirm-ok').click();

    const rotate = await vi.waitFor(() => apollo.expectOne('RotateWebhookSecret'));
    expect(rotate.operation.variables['endpointId']).toBe('ep-1');
    rotate.flushData({
      rotateWebhookSecret: {
        __typename: 'WebhookEndpointWithSecret',
        endpoint: anEndpoint({ previousSecretExpiresAt: '2026-03-02T10:00:00.000Z' }),
        secret: 'whsec_bmV3LXNlY3JldC1mb3ItdGhlLWVuZHBvaW50',
      },
    });
    await settle(() =>
      expect(inOverlay<HTMLInputElement>('webhook-secret')?.value).toBe(
        'whsec_bmV3LXNlY3JldC1mb3ItdGhlLWVuZHBvaW50',
      ),
    );
    expect(inOverlay('webhook-rotation-overlap').textContent).toContain('both signatures');

    inOverlay('webhook-secret-done').click();
    (await vi.waitFor(() => apollo.expectOne('WebhookEndpoints'))).flushData({
      webhookEndpoints: [anEndpoint()],
    });
    await settle(() => expect(inOverlay('webhook-secret')).toBeNull());
  });
});
