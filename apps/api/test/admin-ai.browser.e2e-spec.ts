import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { fund } from './support/billing-fixtures';
import { waitForDialogOpen } from './support/console-lists';
import { signIn, startConsole, watchProblems } from './support/console-session';
import { FakeOpenAI } from './support/fake-openai';
import { createUser } from './support/identity-fixtures';
import type { TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;

/**
 * The console's AI page in headless Chromium, against the real API whose OpenAI adapter talks to a
 * local fake speaking OpenAI's wire format: provider health, the catalogue, provider keys, and a
 * playground chat streamed over graphql-ws and charged through the ledger.
 */
describe('admin console: AI in a browser', () => {
  let api: TestApp;
  let upstream: FakeOpenAI;
  let browser: Browser;

  beforeAll(async () => {
    upstream = new FakeOpenAI();
    await upstream.start();
    ({ api, browser } = await startConsole(upstream.env()));
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await upstream?.stop();
  });

  beforeEach(() => upstream.reset());

  async function openTab(page: Page, path: string): Promise<void> {
    await page.locator(`[data-testid="ai-tab"][data-path="${path}"]`).click();
    await page.waitForURL((url) => url.pathname === `/admin/ai/${path}`, { timeout: UI_TIMEOUT });
  }

  async function textOf(page: Page, testId: string): Promise<string> {
    return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  it('an admin sees provider health and the models, adds a provider key, and chats in the playground at the listed price', async () => {
    const admin = await createUser(api, 'ADMIN');
    await fund(api, admin.id, 100);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, admin.email.value, UI_TIMEOUT);
      // Exact: "AI" is also part of "Failed mails".
      await page.getByTestId('nav-item').filter({ has: page.getByText('AI', { exact: true }) }).click();
      await page.waitForURL((url) => url.pathname === '/admin/ai/health', { timeout: UI_TIMEOUT });

      // Provider health: OpenAI has the configured key and a closed circuit; Anthropic has no key.
      const openai = page.locator('[data-testid="provider-health"][data-provider="openai"]');
      await openai.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(openai.getByTestId('provider-circuit').textContent()).resolves.toContain('Circuit closed');
      await expect(openai.getByTestId('provider-key').textContent()).resolves.toContain('An API key is configured');
      // Its channels in routing order, the configured one among them (other tests' channels may share the database).
      const configuredChannel = openai
        .locator('[data-testid="channel-row"][data-channel="OpenAI"]')
        .filter({ has: page.getByTestId('channel-configured') });
      await configuredChannel.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(configuredChannel.getByTestId('channel-circuit').textContent()).resolves.toContain('Circuit closed');
      await expect(configuredChannel.getByTestId('channel-models').textContent()).resolves.toContain('Every OpenAI model no channel lists');
      const anthropic = page.locator('[data-testid="provider-health"][data-provider="anthropic"]');
      await expect(anthropic.getByTestId('provider-key').textContent()).resolves.toContain('No API key');

      // The catalogue, disabled models included, with prices per 1,000 tokens.
      await openTab(page, 'models');
      const gpt4o = page.locator('[data-testid="model-row"][data-model="gpt-4o"]');
      await gpt4o.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(gpt4o.getByTestId('model-input-price').textContent()).resolves.toContain('10');
      await expect(gpt4o.getByTestId('model-status').textContent()).resolves.toContain('Enabled');

      // A key added for Anthropic shows its last four characters only, and the provider now has a key.
      await openTab(page, 'keys');
      await page.getByTestId('provider-keys-table').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      const label = `Backup ${randomUUID().slice(0, 8)}`;
      const secret = `sk-ant-${randomUUID().replace(/-/g, '')}wxyz`;
      await page.getByTestId('provider-key-add').click();
      await waitForDialogOpen(page, UI_TIMEOUT);
      await page.getByTestId('provider-key-provider').click();
      await page.getByRole('option', { name: 'Anthropic' }).click();
      await page.getByTestId('provider-key-label').fill(label);
      await expect(page.getByTestId('provider-key-secret').getAttribute('type')).resolves.toBe('password');
      await page.getByTestId('provider-key-secret').fill(secret);
      await page.getByTestId('provider-key-submit').click();
      const keyRow = page.locator(`[data-testid="provider-key-row"][data-label="${label}"]`);
      await keyRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(keyRow.getByTestId('provider-key-last4').textContent()).resolves.toBe('••••wxyz');
      await expect(page.content()).resolves.not.toContain(secret);
      await openTab(page, 'health');
      await page
        .locator('[data-testid="provider-health"][data-provider="anthropic"] [data-testid="provider-key"]')
        .filter({ hasText: 'An API key is configured' })
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });

      // The playground streams gpt-4o's answer and shows what it cost: (120 + 30) tokens × 10 / 1,000.
      upstream.reply({ text: 'The answer is 42.', pieces: 4, usage: { input: 120, output: 30 }, pieceDelayMs: 20 });
      await openTab(page, 'playground');
      await page.getByTestId('playground-form').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.getByTestId('playground-model').click();
      await page.locator('mat-option[data-model="gpt-4o"]').click();
      // The hint follows the choice on the console's next render: wait for it, do not read it at once.
      await page.getByTestId('playground-price').filter({ hasText: '10 in / 10 out credits per 1k tokens' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(textOf(page, 'playground-available')).resolves.toBe('100');
      await page.getByTestId('playground-system').fill('Be brief.');
      await page.getByTestId('playground-message').fill('What is the answer?');
      await page.getByTestId('playground-send').click();

      await page
        .locator('[data-testid="playground-exchange"][data-status="done"]')
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(textOf(page, 'playground-answer')).resolves.toBe('The answer is 42.');
      await expect(textOf(page, 'playground-credits')).resolves.toBe('1.5 credits');
      await expect(textOf(page, 'playground-tokens')).resolves.toBe('120 in / 30 out tokens');
      // The charge reaches the balance beside the chat through creditBalanceChanged.
      await page.waitForFunction(
        () => document.querySelector('[data-testid="playground-available"]')?.textContent?.trim() === '98.5',
        undefined,
        { timeout: UI_TIMEOUT },
      );

      // The upstream got one streamed request for the model, with the system prompt.
      expect(upstream.requests).toHaveLength(1);
      expect(upstream.requests[0]?.body).toMatchObject({
        model: 'gpt-4o',
        stream: true,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is the answer?' },
        ],
      });

      // The call is in the usage figures.
      await openTab(page, 'usage');
      await page.getByTestId('usage-breakdown-table').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await page.locator('[data-testid="usage-row"][data-key="gpt-4o"]').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(page.getByTestId('usage-daily-chart').locator('canvas').count()).resolves.toBe(1);

      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('gives a user their usage and the playground only, and refuses the admin tabs', async () => {
    const user = await createUser(api, 'USER');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, user.email.value, UI_TIMEOUT);
      await page.goto(`${api.url}/admin/ai`);
      await page.waitForURL((url) => url.pathname === '/admin/ai/usage', { timeout: UI_TIMEOUT });
      await page.getByTestId('usage-totals').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      const tabs = await page.getByTestId('ai-tab-label').allTextContents();
      expect(tabs.map((tab) => tab.trim())).toEqual(['Usage', 'Playground']);
      await expect(textOf(page, 'usage-scope')).resolves.toBe('Your calls');

      await page.goto(`${api.url}/admin/ai/keys`);
      await page.waitForURL((url) => url.pathname === '/admin/dashboard', { timeout: UI_TIMEOUT });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
