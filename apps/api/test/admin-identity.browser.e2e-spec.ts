import type { Browser } from 'playwright-core';
import { openUserFromList, waitForFilteredList } from './support/console-lists';
import { signIn, useConsole, watchProblems } from './support/console-session';
import { errorCode, gql } from './support/graphql-client';
import { createUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;

/** An administrator manages another account through the built console, in headless Chromium. */
describe('admin console: identity administration in a browser', () => {
  let api: TestApp;
  let browser: Browser;
  useConsole((started) => ({ api, browser } = started));

  it('an admin changes a user’s role to MANAGER and finds it in the audit log, with no console errors', async () => {
    const admin = await createUser(api, 'ADMIN');
    const user = await createUser(api, 'USER');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, admin.email.value, UI_TIMEOUT);
      await expect(page.getByTestId('current-role').textContent()).resolves.toContain('Admin');

      // Other suites add users to the same database: search narrows the list to ours.
      await openUserFromList(page, { id: user.id, email: user.email.value }, UI_TIMEOUT);
      await expect(page.getByTestId('user-role').textContent()).resolves.toContain('User');

      await page.getByTestId('role-select').click();
      // Only roles below the admin's own are offered.
      const options = page.getByRole('option');
      await options.first().waitFor({ state: 'visible' });
      await expect(options.allTextContents()).resolves.toEqual(['Manager', 'User', 'Guest'].map((label) => expect.stringContaining(label)));
      await options.filter({ hasText: 'Manager' }).click();
      await page.getByTestId('role-save').click();

      await page.getByText(/Role changed/).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(page.getByTestId('user-role').textContent()).resolves.toContain('Manager');

      await page.getByTestId('nav-item').filter({ hasText: 'Audit log' }).click();
      await page.getByTestId('audit-table').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      // Newest first; the filter keeps entries written meanwhile by parallel suites out of the way.
      await page.getByTestId('audit-action-filter').fill('user.role_assigned');
      await waitForFilteredList(page, 'action', 'user.role_assigned', UI_TIMEOUT);
      const entry = page.locator(`[data-testid="audit-row"][data-action="user.role_assigned"][data-target-id="${user.id}"]`);
      await entry.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await entry.getByTestId('audit-expand').click();
      const details = page.getByTestId('audit-details');
      await details.waitFor({ state: 'visible' });
      expect(JSON.parse((await details.locator('pre').textContent()) ?? '{}')).toEqual({ from: 'USER', to: 'MANAGER' });

      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('hides Users and Audit log from a user without the permission, and refuses the URL', async () => {
    const user = await createUser(api, 'USER');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, user.email.value, UI_TIMEOUT);
      const labels = await page.getByTestId('nav-item').allTextContents();
      expect(labels.join(' ')).not.toMatch(/Users|Audit log/);

      await page.goto(`${api.url}/admin/users`);
      await page.waitForURL((url) => url.pathname === '/admin/dashboard', { timeout: UI_TIMEOUT });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('renews a short-lived session in the background and resumes it after a reload with the rotated token', async () => {
    // 30 s is the shortest lifetime the API accepts; the console renews a fifth of it early.
    const shortLived = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '30' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    const refreshes: string[] = [];
    const bearers: string[] = [];
    page.on('request', (request) => {
      if (!request.url().endsWith('/graphql')) return;
      if (request.postData()?.includes('RefreshToken')) refreshes.push(request.url());
      const bearer = request.headers()['authorization']?.replace(/^Bearer /, '');
      if (bearer && !bearers.includes(bearer)) bearers.push(bearer);
    });
    const storedToken = () => page.evaluate(() => sessionStorage.getItem('sah.refreshToken'));
    try {
      const admin = await createUser(shortLived, 'ADMIN');
      await signIn(page, shortLived.url, admin.email.value, UI_TIMEOUT);
      const first = await storedToken();
      expect(first).toBeTruthy();

      await page.waitForFunction((old) => sessionStorage.getItem('sah.refreshToken') !== old, first, { timeout: 35_000 });
      expect(refreshes).toHaveLength(1);

      // Past the first access token's lifetime (the API refuses it): only the renewed one can still be valid.
      const expired = await eventually(
        () => gql(shortLived.url, '{ me { id } }', undefined, bearers[0]),
        (result) => errorCode(result) === 'UNAUTHENTICATED',
        35_000,
      );
      expect(errorCode(expired)).toBe('UNAUTHENTICATED');
      await page.getByTestId('nav-item').filter({ hasText: 'Users' }).click();
      await page.getByTestId('users-table').waitFor({ state: 'visible', timeout: UI_TIMEOUT });

      // A reload resumes with the rotated token; the old one would be reuse and end the session.
      await page.reload();
      await page.getByTestId('users-table').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(new URL(page.url()).pathname).toBe('/admin/users');
      expect(refreshes).toHaveLength(2);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await shortLived.close();
    }
  }, 90_000);
});
