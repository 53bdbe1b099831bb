import { Credits } from '@sah/domain';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { signIn, useConsole, watchProblems } from './support/console-session';
import { createUser } from './support/identity-fixtures';
import type { TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;

/** The console's first page over seeded data, in headless Chromium: staff tiles, and a user's own view. */
describe('admin console: the operations dashboard in a browser', () => {
  let api: TestApp;
  let browser: Browser;
  let admin: { email: string };
  let user: { id: string; email: string };

  useConsole((started) => ({ api, browser } = started));

  beforeAll(async () => {
    const adminUser = await createUser(api, 'ADMIN');
    const plainUser = await createUser(api, 'USER');
    admin = { email: adminUser.email.value };
    user = { id: plainUser.id, email: plainUser.email.value };
    const ledger = api.app.get(LedgerService);
    await ledger.grant({ userId: user.id, type: 'purchase', amount: Credits.parse(1500) });
    await ledger.debit({ userId: user.id, type: 'usage', amount: Credits.parse('250.5') });
    // Two AI calls of the user today, one failed.
    await api.app.get(DataSource).query(
      `INSERT INTO ai_usage (user_id, endpoint, model, provider, upstream_model, stream, input_tokens, output_tokens, credits, latency_ms, status)
       VALUES ($1, 'openai', 'gpt-4o-mini', 'openai', 'gpt-4o-mini', false, 100, 50, 1500, 420, 'ok'),
              ($1, 'openai', 'gpt-4o-mini', 'openai', 'gpt-4o-mini', false, 0, 0, 0, 30, 'error')`,
      [user.id],
    );
  });

  async function figure(page: Page, testId: string): Promise<string> {
    const element = page.getByTestId(testId);
    await element.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    return (await element.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
  }

  it('shows staff the hub’s tiles with the seeded figures, two charts, and tiles that lead to their pages', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, admin.email, UI_TIMEOUT);
      await page.getByTestId('business-view').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(await figure(page, 'users-total')).toBe('2');
      expect(await figure(page, 'users-new')).toBe('2');
      expect(await figure(page, 'users-active')).toBe('1');
      expect(await figure(page, 'credits-sold')).toBe('1,500');
      expect(await figure(page, 'credits-spent')).toBe('250.5');
      expect(await figure(page, 'credits-outstanding')).toBe('1,249.5');
      expect(await figure(page, 'ai-requests')).toBe('2');
      expect(await figure(page, 'ai-tokens')).toBe('150');
      expect(await figure(page, 'ai-error-rate')).toBe('50%');
      expect(await figure(page, 'ai-p95')).toBe('420 ms');
      expect(await page.getByTestId('signup-row').allTextContents()).toHaveLength(2);
      expect(await figure(page, 'large-row')).toContain('1,500');
      expect(await page.getByTestId('queue-row').count()).toBeGreaterThan(0);
      expect(await page.locator('sah-bar-chart svg[role="img"]').count()).toBe(2);
      expect(await page.getByTestId('personal-view').count()).toBe(0);

      await page.getByTestId('tile-users').getByRole('link', { name: 'Users' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/users', { timeout: UI_TIMEOUT });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows a user their own account only', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, user.email, UI_TIMEOUT);
      await page.getByTestId('personal-view').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(await figure(page, 'my-balance')).toBe('1,249.5');
      expect(await figure(page, 'my-requests')).toBe('2');
      expect(await figure(page, 'my-tokens')).toBe('150');
      expect(await figure(page, 'my-credits-used')).toBe('1.5');
      expect(await page.getByTestId('call-row').count()).toBe(2);
      expect(await page.getByTestId('business-view').count()).toBe(0);

      await page.getByTestId('tile-my-jobs').getByRole('link', { name: 'Recent media jobs' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/media-jobs', { timeout: UI_TIMEOUT });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
