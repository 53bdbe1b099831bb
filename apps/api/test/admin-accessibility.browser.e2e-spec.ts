import type { Browser, Page } from 'playwright-core';
import type { User } from '@sah/domain';
import { seriousAccessibilityViolations } from './support/axe';
import { fund } from './support/billing-fixtures';
import { waitForDialogOpen } from './support/console-lists';
import { signIn, useConsole, watchProblems } from './support/console-session';
import { gql } from './support/graphql-client';
import { createUser, signIn as signInByApi } from './support/identity-fixtures';
import type { TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;

/**
 * Every page of the built console passes an axe-core scan (no serious or critical violation of
 * WCAG 2.1 A/AA or axe's best practices) in headless Chromium: signed out, as an admin (who sees
 * every page) and as a normal user (who sees their own pages, with their own content).
 */
describe('admin console: accessibility of every page', () => {
  let api: TestApp;
  let browser: Browser;
  let admin: User;
  let user: User;

  useConsole((started) => ({ api, browser } = started));

  beforeAll(async () => {
    admin = await createUser(api, 'ADMIN');
    user = await createUser(api, 'USER');
    // Rows in the users, ledger and audit lists, so their tables are scanned with cells too.
    await fund(api, user.id, 25);
    // A media job of the user's, so the media jobs table is scanned with a row.
    await fund(api, user.id, 50);
    const { accessToken } = await signInByApi(api, user.email.value);
    await gql(api.url, 'mutation { createImageJob(input: { prompt: "a red kite over hills" }) { id } }', {}, accessToken);
  });

  async function newPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    return { page, problems: watchProblems(page) };
  }

  /** Opens a console path (the session survives in sessionStorage) and waits for its heading. */
  async function show(page: Page, path: string): Promise<void> {
    await page.goto(`${api.url}/admin/${path}`);
    await page.waitForURL((url) => url.pathname === `/admin/${path.split('?')[0]}`, { timeout: UI_TIMEOUT });
    await page.locator('h1').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  }

  describe('signed out', () => {
    it.each(['login', 'forgot-password', 'reset-password?token=not-a-real-token'])('/%s', async (path) => {
      const { page, problems } = await newPage();
      try {
        await show(page, path);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });

  /** The admin sees every page; a normal user their own (the user detail page is the normal user's). */
  const ADMIN_PAGES = [
    'dashboard',
    'users',
    'users/:user',
    'teams',
    'credits',
    'credits/bulk',
    'promo-codes',
    'payments',
    'plans',
    'ai/health',
    'ai/keys',
    'ai/channels',
    'ai/models',
    'ai/media-models',
    'ai/usage',
    'ai/playground',
    'media-jobs',
    'webhooks',
    'failed-mails',
    'audit-log',
    'account',
  ];
  const USER_PAGES = ['dashboard', 'teams', 'ai/usage', 'ai/playground', 'media-jobs', 'webhooks', 'account'];

  describe.each([
    { role: 'an admin', who: () => admin, paths: ADMIN_PAGES },
    { role: 'a normal user', who: () => user, paths: USER_PAGES },
  ])('as $role', ({ who, paths }) => {
    let page: Page;
    let problems: string[];

    beforeAll(async () => {
      ({ page, problems } = await newPage());
      await signIn(page, api.url, who().email.value, UI_TIMEOUT);
    });

    afterAll(async () => {
      await page?.close();
    });

    it.each(paths)('/%s', async (path) => {
      await show(page, path.replace(':user', user.id));
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    });
  });

  describe('dialogs', () => {
    it.each([
      { path: 'promo-codes', opener: 'promo-new' },
      { path: 'plans', opener: 'plan-new' },
      { path: 'ai/keys', opener: 'provider-key-add' },
      { path: 'ai/channels', opener: 'channel-new' },
      { path: 'ai/models', opener: 'model-new' },
      // On the normal user's own account page.
      { path: 'account', opener: 'api-key-new', asUser: true },
      { path: 'webhooks', opener: 'webhook-new', asUser: true },
      { path: 'ai/media-models', opener: 'media-model-edit' },
    ])('the one $opener opens on /$path', async ({ path, opener, asUser }) => {
      const { page, problems } = await newPage();
      try {
        await signIn(page, api.url, (asUser ? user : admin).email.value, UI_TIMEOUT);
        await show(page, path);
        // The first of several where the page lists more than one (each media model's Edit).
        await page.getByTestId(opener).first().click({ timeout: UI_TIMEOUT });
        await waitForDialogOpen(page, UI_TIMEOUT);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
