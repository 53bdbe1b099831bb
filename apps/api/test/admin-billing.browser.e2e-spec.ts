import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { fund } from './support/billing-fixtures';
import { assertConsoleBuilt, launchChromium } from './support/chromium';
import { openUserFromList, waitForDialogOpen } from './support/console-lists';
import { createUser, PASSWORD } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;

/** Finance staff move credits through the built console, in headless Chromium. */
describe('admin console: billing in a browser', () => {
  let api: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    api = await startTestApp();
    assertConsoleBuilt(api);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** Console errors and uncaught exceptions, collected for the whole test. */
  function watchProblems(page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    return problems;
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${api.url}/admin/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/admin/dashboard', { timeout: UI_TIMEOUT });
  }

  async function expectAvailable(page: Page, credits: string): Promise<void> {
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid="balance-available"]')?.textContent?.trim() === expected,
      credits,
      { timeout: UI_TIMEOUT },
    );
  }

  it('an admin adjusts a user’s credits and finds the transaction in the ledger explorer, with no console errors', async () => {
    const admin = await createUser(api, 'ADMIN');
    const user = await createUser(api, 'USER');
    await fund(api, user.id, 10);
    const reason = `Conference speaker ${randomUUID().slice(0, 8)}`;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, admin.email.value);

      await openUserFromList(page, { id: user.id, email: user.email.value }, UI_TIMEOUT);
      await page.getByTestId('user-credits-card').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expectAvailable(page, '10');

      await page.getByTestId('user-credits-adjust').click();
      await waitForDialogOpen(page, UI_TIMEOUT);
      await page.getByTestId('adjust-amount').fill('25');
      await page.getByTestId('adjust-reason').fill(reason);
      await page.getByTestId('adjust-submit').click();
      await page.getByText('Credits adjusted.').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expectAvailable(page, '35');

      // The ledger explorer, narrowed to this user by searching for their e-mail address.
      await page.getByTestId('nav-item').filter({ hasText: 'Credits' }).click();
      await page.getByTestId('ledger-table').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.getByTestId('ledger-user-filter').fill(user.email.value);
      await page.locator(`[data-testid="user-picker-option"][data-email="${user.email.value}"]`).click({ timeout: UI_TIMEOUT });
      await page.waitForURL((url) => url.searchParams.get('userId') === user.id, { timeout: UI_TIMEOUT });
      const adjustment = page.locator(`[data-testid="ledger-row"][data-user-id="${user.id}"][data-type="ADJUSTMENT"]`);
      await adjustment.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(adjustment.getByTestId('ledger-amount').textContent()).resolves.toContain('+25');
      await expect(adjustment.getByTestId('ledger-reason').textContent()).resolves.toContain(reason);
      await expect(adjustment.textContent()).resolves.toContain('35');
      // The account view above the table shows the same balance.
      await expectAvailable(page, '35');

      // Back on the user: the new balance, and the adjustment at the top of the latest transactions.
      await page.goto(`${api.url}/admin/users/${user.id}`);
      await page.getByTestId('user-credits-card').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expectAvailable(page, '35');
      await expect(page.getByTestId('recent-transaction').first().textContent()).resolves.toContain(reason);

      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('hides promo codes and payments from a manager, and refuses their URLs', async () => {
    const manager = await createUser(api, 'MANAGER');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, manager.email.value);
      const labels = (await page.getByTestId('nav-item').allTextContents()).join(' ');
      expect(labels).toContain('Credits');
      expect(labels).not.toMatch(/Promo codes|Payments/);

      await page.goto(`${api.url}/admin/promo-codes`);
      await page.waitForURL((url) => url.pathname === '/admin/dashboard', { timeout: UI_TIMEOUT });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
