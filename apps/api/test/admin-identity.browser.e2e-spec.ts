import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { openUserFromList, waitForDialogOpen, waitForFilteredList } from './support/console-lists';
import { signIn, useConsole, watchProblems } from './support/console-session';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, createUser, PASSWORD } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;
/** The export is written by a background job; the card checks on it every 3 s. */
const EXPORT_TIMEOUT = 30_000;
const USER_DELETION = 'query ($id: ID!) { user(id: $id) { id deletionScheduledFor } }';
const CREATE_KEY = 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }';

/**
 * Identity through the built console, in headless Chromium: an administrator manages another account,
 * a user exports their own data and deletes their account, a session renews itself.
 */
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

  it('a user asks for an export of their data on My account, the card follows it until it is ready, and the downloaded file holds their data', async () => {
    const user = await createSignedInUser(api);
    // Something of theirs beyond the profile to find in the file: an API key with a name of its own.
    const keyName = `export-${randomUUID().slice(0, 8)}`;
    dataOf(await gql(api.url, CREATE_KEY, { input: { name: keyName, scopes: ['ai.use'] } }, user.accessToken));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, user.email, UI_TIMEOUT);
      await page.goto(`${api.url}/admin/account`);
      const card = page.getByTestId('privacy-card');
      const status = card.getByTestId('data-export-status');
      await status.filter({ hasText: 'You have not asked for an export' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });

      await card.getByTestId('data-export-request').click();
      await status.filter({ hasText: 'Preparing your export' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      // The background job writes the file; the card asks again every 3 s until it is ready.
      await status.filter({ hasText: 'Your export is ready' }).waitFor({ state: 'visible', timeout: EXPORT_TIMEOUT });

      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: UI_TIMEOUT }),
        card.getByTestId('data-export-download').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^smart-ai-hub-export-\d{4}-\d{2}-\d{2}\.json$/);
      const file = JSON.parse(await readFile(await download.path(), 'utf8')) as {
        user: { id: string; email: string };
        apiKeys: Array<{ name: string }>;
        auditEntries: Array<{ action: string }>;
      };
      expect(file.user).toMatchObject({ id: user.userId, email: user.email });
      expect(file.apiKeys).toEqual([expect.objectContaining({ name: keyName })]);
      expect(file.auditEntries.map((entry) => entry.action)).toContain('user.data_export_requested');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('a user deletes their account on My account (signed out, told the date); an admin sees it pending on the user’s page and erases it now', async () => {
    const user = await createUser(api, 'USER');
    const admin = await createSignedInUser(api, 'ADMIN');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, user.email.value, UI_TIMEOUT);
      await page.goto(`${api.url}/admin/account`);
      await page.getByTestId('privacy-card').getByTestId('delete-account').click({ timeout: UI_TIMEOUT });
      await waitForDialogOpen(page, UI_TIMEOUT);
      await expect(page.getByTestId('delete-account-explanation').textContent()).resolves.toContain('Signing in again before then cancels');
      await page.getByTestId('delete-account-proof').fill(PASSWORD);
      await page.getByTestId('delete-account-confirm').click();

      // Signed out at once, on the sign-in page, told when the account goes.
      await page.waitForURL((url) => url.pathname === '/admin/login', { timeout: UI_TIMEOUT });
      const told = page.locator('mat-snack-bar-container').filter({ hasText: 'Your account will be deleted on' });
      await told.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      const toldDate = /deleted on (.+)\. Sign in before then/.exec((await told.textContent()) ?? '')?.[1];
      const scheduled = dataOf(await gql<{ user: { deletionScheduledFor: string } }>(api.url, USER_DELETION, { id: user.id }, admin.accessToken))
        .user.deletionScheduledFor;
      const days = (new Date(scheduled).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);

      // The admin finds the same date on the user's page, and erases the account without waiting.
      await signIn(page, api.url, admin.email, UI_TIMEOUT);
      await page.goto(`${api.url}/admin/users/${user.id}`);
      const status = page.getByTestId('user-deletion-status');
      await status.filter({ hasText: 'erased on' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(await status.textContent()).toContain(`erased on ${toldDate}`);
      await page.getByTestId('user-deletion-process').click();
      await waitForDialogOpen(page, UI_TIMEOUT);
      await page.getByTestId('confirm-ok').click();
      await page.waitForURL((url) => url.pathname === '/admin/users', { timeout: UI_TIMEOUT });
      await page.locator('mat-snack-bar-container').filter({ hasText: 'account is erased' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });

      expect(errorCode(await gql(api.url, USER_DELETION, { id: user.id }, admin.accessToken))).toBe('NOT_FOUND');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

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
