import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { fund } from './support/billing-fixtures';
import { openUserFromList, waitForDialogOpen } from './support/console-lists';
import { signIn, useConsole, watchProblems } from './support/console-session';
import { createUser } from './support/identity-fixtures';
import type { TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;

/** Finance staff move credits through the built console, in headless Chromium. */
describe('admin console: billing in a browser', () => {
  let api: TestApp;
  let browser: Browser;
  useConsole((started) => ({ api, browser } = started));

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
      await signIn(page, api.url, admin.email.value, UI_TIMEOUT);

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
      await signIn(page, api.url, manager.email.value, UI_TIMEOUT);
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
