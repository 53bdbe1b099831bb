import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { seriousAccessibilityViolations } from './support/axe';
import { waitForDialogOpen } from './support/console-lists';
import { signIn, startConsole, watchProblems } from './support/console-session';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, createUser } from './support/identity-fixtures';
import { eventually, TestApp } from './support/test-app';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

const UI_TIMEOUT = 30_000;
/** One user journey through several pages and dialogs, two axe scans included, on a loaded 2-core machine. */
const JOURNEY_TIMEOUT = 150_000;

const ENDPOINTS = `{ webhookEndpoints { id enabled disabledReason } }`;
const DELIVERY = `query ($id: ID!) { webhookDelivery(id: $id) { status messageId attemptCount } }`;

/**
 * A partner manages a webhook endpoint from the built console in headless Chromium: creates it
 * (the secret is shown once), sends a test event that a receiver verifies with the official
 * `standardwebhooks` package, follows it in the delivery log down to its attempt, and replays it;
 * enables one the receiver had disabled, recovers its failed delivery, disables it and deletes it.
 */
describe('admin console: webhooks in a browser', () => {
  let api: TestApp;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    // The receiver listens on 127.0.0.1: loopback URLs are refused unless private URLs are allowed.
    ({ api, browser } = await startConsole({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close();
    await receiver?.stop();
  });

  async function arrivals(path: string, count: number): Promise<ReceivedWebhook[]> {
    const received = await eventually(async () => receiver.at(path), (at) => at.length >= count, UI_TIMEOUT);
    expect(received).toHaveLength(count);
    return received;
  }

  it('creates an endpoint, sends a test, verifies it at the receiver, opens its attempt and replays it', async () => {
    const partner = await createUser(api, 'USER');
    const path = `/console-${randomUUID()}`;
    const url = `${receiver.url}${path}`;

    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const problems = watchProblems(page);

    await signIn(page, api.url, partner.email.value, UI_TIMEOUT);

    await page.getByTestId('nav-item').filter({ hasText: 'Webhooks' }).click();
    await page.waitForURL((at) => at.pathname === '/admin/webhooks', { timeout: UI_TIMEOUT });
    await page.getByTestId('webhook-endpoints-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await page.getByTestId('deliveries-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT });

    // Create: every event type (the default), then the secret, once, with a working copy button.
    await page.getByTestId('webhook-new').click();
    await waitForDialogOpen(page, UI_TIMEOUT);
    await page.getByTestId('webhook-url').fill(url);
    await page.getByTestId('webhook-description').fill('Console test receiver');
    await page.getByTestId('webhook-endpoint-save').click();
    const secretField = page.getByTestId('webhook-secret');
    await secretField.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_\S{32,}$/);
    await page.getByTestId('webhook-secret-copy').click();
    await page.getByTestId('webhook-secret-copy-status').filter({ hasText: 'Copied' }).waitFor({ timeout: UI_TIMEOUT });
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
    await page.getByTestId('webhook-secret-done').click();
    await page.locator('mat-dialog-container').waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    const row = page.locator(`[data-testid="webhook-endpoint-row"][data-url="${url}"]`);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await expect(row.getByTestId('endpoint-status').textContent()).resolves.toContain('Enabled');
    await expect(row.textContent()).resolves.toContain('All events');
    // Shown once: nowhere on the page once the dialog is closed.
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    // A test event: delivered in the log, and verified by the receiver with the official library.
    await row.getByTestId('endpoint-send-test').click();
    const delivered = page.locator('[data-testid="delivery-row"][data-event="webhook.test"][data-status="DELIVERED"]');
    await delivered.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    expect(await page.getByTestId('delivery-row').count()).toBe(1);
    const [first] = await arrivals(path, 1);
    const payload = new Webhook(secret).verify(first.body, first.headers) as { type: string };
    expect(payload.type).toBe('webhook.test');
    const webhookId = first.headers['webhook-id'];
    expect(webhookId).toMatch(/^msg_/);
    // A receiver holding another secret rejects it.
    expect(() => new Webhook(Buffer.from(randomUUID()).toString('base64')).verify(first.body, first.headers)).toThrow();

    // Its attempt: the signed request and the receiver's answer.
    await delivered.getByTestId('delivery-open').click();
    await waitForDialogOpen(page, UI_TIMEOUT);
    const attempts = page.getByTestId('delivery-attempt');
    await attempts.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    expect(await attempts.count()).toBe(1);
    await expect(page.getByTestId('delivery-detail-message-id').textContent()).resolves.toBe(webhookId);
    await expect(attempts.first().getByTestId('attempt-response-status').textContent()).resolves.toBe('200');
    await expect(attempts.first().getByTestId('attempt-webhook-id').textContent()).resolves.toBe(webhookId);
    await expect(attempts.first().getByTestId('attempt-request-body').textContent()).resolves.toContain('"webhook.test"');
    await expect(attempts.first().getByTestId('attempt-request-headers').textContent()).resolves.toContain('webhook-signature');
    await expect(attempts.first().getByTestId('attempt-response-body').textContent()).resolves.toBe('ok');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Replay: a second attempt, a new round, with the same webhook-id, answered 200.
    await page.getByTestId('delivery-detail-replay').click();
    const replayed = page.locator('[data-testid="delivery-attempt"][data-round="2"]');
    await replayed.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await page.getByTestId('delivery-detail-status').filter({ hasText: 'Delivered' }).waitFor({ timeout: UI_TIMEOUT });
    await replayed.getByTestId('attempt-response-status').filter({ hasText: '200' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await attempts.count()).toBe(2);
    await expect(replayed.getByTestId('attempt-webhook-id').textContent()).resolves.toBe(webhookId);
    const [, again] = await arrivals(path, 2);
    expect(again.headers['webhook-id']).toBe(webhookId);
    expect((new Webhook(secret).verify(again.body, again.headers) as { type: string }).type).toBe('webhook.test');

    await page.keyboard.press('Escape');
    await page.locator('mat-dialog-container').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    // Closing the detail reloads the endpoints: both rounds were delivered.
    await row.getByTestId('endpoint-success-rate').filter({ hasText: '100%' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, JOURNEY_TIMEOUT);
  it('enables an endpoint disabled by a 410, recovers its failed delivery, disables it by hand and deletes it', async () => {
    const partner = await createSignedInUser(api);
    const call = async <T>(query: string, variables: Record<string, unknown> = {}) =>
      dataOf(await gql<T>(api.url, query, variables, partner.accessToken));
    const endpointState = async (id: string) =>
      (await call<{ webhookEndpoints: Array<{ id: string; enabled: boolean; disabledReason: string | null }> }>(ENDPOINTS))
        .webhookEndpoints.find((e) => e.id === id);
    const deliveryState = async (id: string) =>
      (await call<{ webhookDelivery: { status: string; messageId: string; attemptCount: number } }>(DELIVERY, { id }))
        .webhookDelivery;

    // Through the API: an endpoint whose receiver answered a test event with 410 Gone, so it was disabled.
    const path = `/gone-${randomUUID()}`;
    const url = `${receiver.url}${path}`;
    receiver.script(path, [410]);
    const { id } = (
      await call<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
        { input: { url } },
      )
    ).createWebhookEndpoint.endpoint;
    const sent = (
      await call<{ sendTestWebhook: { id: string } }>(`mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id })
    ).sendTestWebhook;
    expect((await eventually(() => deliveryState(sent.id), (d) => d.status === 'FAILED', UI_TIMEOUT)).status).toBe('FAILED');
    expect(await endpointState(id)).toMatchObject({ enabled: false, disabledReason: 'The endpoint answered 410 Gone' });

    const own = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await own.newPage();
    const problems = watchProblems(page);
    await signIn(page, api.url, partner.email, UI_TIMEOUT);
    await page.getByTestId('nav-item').filter({ hasText: 'Webhooks' }).click();
    await page.waitForURL((at) => at.pathname === '/admin/webhooks', { timeout: UI_TIMEOUT });

    const rowSelector = `[data-testid="webhook-endpoint-row"][data-id="${id}"]`;
    const row = page.locator(rowSelector);
    const deliveryRow = (status: string) =>
      page.locator(`[data-testid="delivery-row"][data-id="${sent.id}"][data-status="${status}"]`);
    const menu = async (item: string) => {
      await row.getByTestId('endpoint-menu').click();
      await page.getByTestId(item).click();
    };
    const confirm = async () => {
      await waitForDialogOpen(page, UI_TIMEOUT);
      await page.getByTestId('confirm-ok').click();
      await page.locator('mat-dialog-container').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    };

    await page.locator(`${rowSelector}[data-enabled="false"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await expect(row.getByTestId('endpoint-status').textContent()).resolves.toContain('Disabled');
    await expect(row.getByTestId('endpoint-disabled-reason').textContent()).resolves.toContain('410 Gone');
    expect(await row.getByTestId('endpoint-send-test').isDisabled()).toBe(true);
    await deliveryRow('FAILED').waitFor({ state: 'visible', timeout: UI_TIMEOUT });

    // Enable: at once, no confirmation; the reason goes.
    await menu('endpoint-toggle');
    await page.locator(`${rowSelector}[data-enabled="true"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await expect(row.getByTestId('endpoint-status').textContent()).resolves.toContain('Enabled');
    expect(await row.getByTestId('endpoint-disabled-reason').count()).toBe(0);
    expect(await endpointState(id)).toMatchObject({ enabled: true, disabledReason: null });

    // Recover failed since a day ago (the dialog's default): the same message again, now answered 200.
    await menu('endpoint-recover');
    await waitForDialogOpen(page, UI_TIMEOUT);
    await page.getByTestId('webhook-recover-submit').click();
    await page.locator('mat-dialog-container').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await deliveryRow('DELIVERED').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const [gone, recovered] = await arrivals(path, 2);
    expect(recovered.headers['webhook-id']).toBe(gone.headers['webhook-id']);
    expect(await deliveryState(sent.id)).toMatchObject({ status: 'DELIVERED', messageId: gone.headers['webhook-id'], attemptCount: 1 });

    // Disable by hand: confirmed first; then shown as such, and sending a test is off.
    await menu('endpoint-toggle');
    await confirm();
    await page.locator(`${rowSelector}[data-enabled="false"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await expect(row.getByTestId('endpoint-disabled-reason').textContent()).resolves.toContain('Disabled by hand');
    expect(await row.getByTestId('endpoint-send-test').isDisabled()).toBe(true);
    expect(await endpointState(id)).toMatchObject({ enabled: false, disabledReason: null });

    // Delete: confirmed first; the endpoint and its delivery log go.
    await menu('endpoint-delete');
    await confirm();
    await row.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await page.getByTestId('webhook-endpoints-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await page.getByTestId('deliveries-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    expect(await endpointState(id)).toBeUndefined();
    expect(errorCode(await gql(api.url, DELIVERY, { id: sent.id }, partner.accessToken))).toBe('NOT_FOUND');
    expect(receiver.at(path)).toHaveLength(2);
    expect(problems).toEqual([]);
    await own.close();
  }, JOURNEY_TIMEOUT);
});
