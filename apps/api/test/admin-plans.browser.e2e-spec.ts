import { Credits } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { seriousAccessibilityViolations } from './support/axe';
import { waitForDialogOpen } from './support/console-lists';
import { signIn, startConsole, watchProblems } from './support/console-session';
import { FakeStripe } from './support/fake-stripe';
import { createUser } from './support/identity-fixtures';
import { TestApp } from './support/test-app';

const UI_TIMEOUT = 30_000;
/** Two people, two browser contexts, a Checkout trip and two axe scans, on a loaded 2-core machine. */
const JOURNEY_TIMEOUT = 150_000;
/** Where the console sends a subscriber: Stripe's hosted page, answered in the browser, never fetched. */
const STRIPE_CHECKOUT = /^https:\/\/checkout\.stripe\.com\/c\/pay\/(cs_[A-Za-z0-9_]+)$/;

/**
 * Subscription plans in the built console in headless Chromium, against the local fake Stripe the
 * billing-plans e2e uses: an admin creates a plan on the Plans page; a user on Free chooses it on My
 * account's Plan card and is sent to Stripe Checkout; once Stripe's webhooks (the session completed,
 * the first invoice paid) arrive, the card shows the plan and its allowance on the bar.
 */
describe('admin console: subscription plans in a browser', () => {
  const stripe = new FakeStripe();
  let api: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await stripe.start();
    ({ api, browser } = await startConsole(stripe.env()));
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await api?.close();
    await stripe.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    // Stripe's hosted Checkout page: a stand-in, so the browser never leaves the machine.
    await context.route('https://checkout.stripe.com/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Checkout</title><h1>Fake Stripe Checkout</h1></html>' }),
    );
    return context.newPage();
  }

  const deliverWebhook = async (payload: string) => expect(await FakeStripe.deliver(api.url, payload)).toBe(200);

  it(
    'an admin creates a plan; a user changes to it through Checkout and, once invoice.paid arrives, sees it and its allowance',
    async () => {
      const admin = await createUser(api, 'ADMIN');
      const user = await createUser(api, 'USER');
      const suffix = randomUUID().slice(0, 8);
      const code = `gold-${suffix}`;
      const name = `Gold ${suffix}`;

      // The admin: Plans → New plan.
      const adminPage = await newPage();
      const adminProblems = watchProblems(adminPage);
      await signIn(adminPage, api.url, admin.email.value, UI_TIMEOUT);
      await adminPage.getByTestId('nav-item').filter({ hasText: 'Plans' }).click();
      await adminPage.waitForURL((at) => at.pathname === '/admin/plans', { timeout: UI_TIMEOUT });
      await adminPage.getByTestId('plan-new').click({ timeout: UI_TIMEOUT });
      await waitForDialogOpen(adminPage, UI_TIMEOUT);
      // The form's fields, not the table's cells of the same names behind the dialog.
      const form = adminPage.getByTestId('plan-form');
      await form.getByTestId('plan-code').fill(code);
      await form.getByTestId('plan-name').fill(name);
      await form.getByTestId('plan-price').fill('29');
      await form.getByTestId('plan-credits').fill('300');
      await form.getByTestId('plan-requests').fill('20000');
      await form.getByTestId('plan-submit').click();
      const row = adminPage.locator(`[data-testid="plan-row"][data-code="${code}"]`);
      await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(await row.getByTestId('plan-price').innerText()).toBe('$29.00');
      expect(await row.getByTestId('plan-allowance').innerText()).toBe('300');
      expect(await row.getByTestId('plan-requests').innerText()).toBe('20,000');
      expect(adminProblems).toEqual([]);

      // The user, on Free: My account → the Plan card → the new plan → Change plan → Stripe Checkout.
      const userPage = await newPage();
      const userProblems = watchProblems(userPage);
      await signIn(userPage, api.url, user.email.value, UI_TIMEOUT);
      await userPage.goto(`${api.url}/admin/account`);
      await userPage.getByTestId('plan-card-name').filter({ hasText: 'Free' }).waitFor({ timeout: UI_TIMEOUT });
      await userPage.getByTestId('plan-choice').click();
      await userPage.locator(`mat-option[data-code="${code}"]`).click({ timeout: UI_TIMEOUT });
      await userPage.getByTestId('plan-change').click();
      await userPage.waitForURL(STRIPE_CHECKOUT, { timeout: UI_TIMEOUT });
      const sessionId = STRIPE_CHECKOUT.exec(userPage.url())![1]!;
      const checkout = stripe.sessionCreations().find((request) => request.params['client_reference_id'] === user.id);
      expect(checkout?.params).toMatchObject({
        mode: 'subscription',
        success_url: `${api.url}/admin/account?subscription=success`,
        cancel_url: `${api.url}/admin/account?subscription=cancelled`,
      });

      // Stripe: the checkout completes and the first invoice is paid; some of the allowance is spent.
      const { session, subscription } = stripe.completedSubscriptionSession(sessionId);
      await deliverWebhook(stripe.event('checkout.session.completed', session));
      await deliverWebhook(
        stripe.event('invoice.paid', stripe.billing.periodInvoice(subscription.id, { billingReason: 'subscription_create', paid: true })),
      );
      await api.app.get(LedgerService).debit({ userId: user.id, type: 'debit', amount: Credits.whole(75) });

      // Back from Stripe: the plan, active, and its allowance on the bar and in words.
      await userPage.goto(`${api.url}/admin/account?subscription=success`);
      await userPage.getByTestId('plan-checkout-success').waitFor({ timeout: UI_TIMEOUT });
      await userPage.getByTestId('plan-card-name').filter({ hasText: name }).waitFor({ timeout: UI_TIMEOUT });
      expect(await userPage.getByTestId('plan-card-status').innerText()).toContain('Active');
      expect(await userPage.getByTestId('plan-card-usage-text').innerText()).toContain('75 of 300 credits used this month (25 %), 225 left');
      const bar = userPage.getByRole('progressbar', { name: "Credits of this month's plan allowance used" });
      expect(await bar.getAttribute('aria-valuenow')).toBe('25');
      await userPage.getByTestId('plan-cancel').waitFor({ timeout: UI_TIMEOUT });
      expect(await seriousAccessibilityViolations(userPage)).toEqual([]);
      expect(userProblems).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );
});
