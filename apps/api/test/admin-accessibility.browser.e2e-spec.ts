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

  /** Loads a console path (the session survives in sessionStorage) and waits for its heading. */
  async function show(page: Page, path: string): Promise<void> {
    await page.goto(`${api.url}/admin/${path}`);
    await waitForPage(page, path);
  }

  /**
   * Moves the console already loaded to a path (unless it is there) as its own links do: the router
   * follows the history, as on the browser's Back. Then waits until the routed page has been replaced
   * (the element after the innermost router outlet: the AI pages keep their section's heading and
   * swap a tab) and shows its heading. A full load per page made this suite one of the slowest: each
   * started the whole console, and axe, again.
   */
  async function navigate(page: Page, path: string): Promise<void> {
    const moved = await page.evaluate((url) => {
      if (location.pathname + location.search === url) return false;
      Array.from(document.querySelectorAll('router-outlet')).at(-1)?.nextElementSibling?.setAttribute('data-left', '');
      history.pushState(null, '', url);
      dispatchEvent(new PopStateEvent('popstate'));
      return true;
    }, `/admin/${path}`);
    if (moved) {
      await page.waitForFunction(
        () => {
          const routed = Array.from(document.querySelectorAll('router-outlet')).at(-1)?.nextElementSibling;
          return routed && !routed.hasAttribute('data-left');
        },
        undefined,
        { timeout: UI_TIMEOUT },
      );
    }
    await waitForPage(page, path);
  }

  async function waitForPage(page: Page, path: string): Promise<void> {
    await page.waitForURL((url) => url.pathname === `/admin/${path.split('?')[0]}`, { timeout: UI_TIMEOUT });
    await page.locator('h1').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  }

  describe('signed out', () => {
    let page: Page;
    let problems: string[];

    beforeAll(async () => {
      ({ page, problems } = await newPage());
      await show(page, 'login');
    });

    afterAll(async () => {
      await page?.close();
    });

    it.each(['login', 'forgot-password', 'reset-password?token=not-a-real-token'])('/%s', async (path) => {
      await navigate(page, path);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
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

  /** Each dialog is scanned open, on the page that opens it. */
  const ADMIN_DIALOGS = [
    { path: 'promo-codes', opener: 'promo-new' },
    { path: 'plans', opener: 'plan-new' },
    { path: 'ai/keys', opener: 'provider-key-add' },
    { path: 'ai/channels', opener: 'channel-new' },
    { path: 'ai/models', opener: 'model-new' },
    { path: 'ai/media-models', opener: 'media-model-edit' },
  ];
  const USER_DIALOGS = [
    { path: 'account', opener: 'api-key-new' },
    { path: 'webhooks', opener: 'webhook-new' },
  ];

  describe.each([
    { role: 'an admin', who: () => admin, paths: ADMIN_PAGES, dialogs: ADMIN_DIALOGS },
    { role: 'a normal user', who: () => user, paths: USER_PAGES, dialogs: USER_DIALOGS },
  ])('as $role', ({ who, paths, dialogs }) => {
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
      await navigate(page, path.replace(':user', user.id));
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    });

    it.each(dialogs)('the dialog $opener opens on /$path', async ({ path, opener }) => {
      await navigate(page, path);
      // The first of several where the page lists more than one (each media model's Edit).
      await page.getByTestId(opener).first().click({ timeout: UI_TIMEOUT });
      await waitForDialogOpen(page, UI_TIMEOUT);
      try {
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await page.keyboard.press('Escape');
        await page.locator('mat-dialog-container').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      }
    });
  });
});
