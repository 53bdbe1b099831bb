import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from './support/axe';
import { fund } from './support/billing-fixtures';
import { waitForDialogOpen } from './support/console-lists';
import { signIn, startConsole, watchProblems } from './support/console-session';
import { FakeOpenAI } from './support/fake-openai';
import { FakeSmtp } from './support/fake-smtp';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { TestApp } from './support/test-app';

const UI_TIMEOUT = 30_000;
/** A manager's whole journey, a mail, a member's call and three axe scans, on a loaded 2-core machine. */
const JOURNEY_TIMEOUT = 150_000;
/** 10 tokens in, 90 out at gpt-4o's 10 credits per 1,000: 1 credit a call. */
const USAGE = { input: 10, output: 90 };

/**
 * A team's budget in the built console, in headless Chromium: the manager invites a member, funds the
 * wallet from their own credits, sets the member's daily limit, the member spends through a team API
 * key against the fake OpenAI upstream, and the manager sees it on the member's budget bar and in the
 * wallet's history.
 */
describe('admin console: a team budget in a browser', () => {
  const smtp = new FakeSmtp();
  const openai = new FakeOpenAI();
  let api: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await smtp.start();
    await openai.start();
    ({ api, browser } = await startConsole({ ...openai.env(), SMTP_URL: smtp.url }));
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await api?.close();
    await openai.stop();
    await smtp.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  /** The budget bar's words and value for a member's period, once they read `text`. */
  async function waitForBudget(page: Page, userId: string, period: 'today' | 'month', text: string): Promise<void> {
    await page
      .locator(`[data-testid="member-budget-row"][data-user-id="${userId}"] [data-testid="member-budget-${period}"]`)
      .filter({ hasText: text })
      .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  }

  it(
    'a manager invites a member, funds the wallet, sets a limit, and sees the member’s spending on the budget bar',
    async () => {
      const admin = await createSignedInUser(api, 'ADMIN');
      const teamName = `Budget ${randomUUID().slice(0, 8)}`;
      const teamId = dataOf(
        await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }', { input: { name: teamName } }, admin.accessToken),
      ).createTeam.id;
      const manager = await createSignedInUser(api);
      const member = await createSignedInUser(api);
      dataOf(
        await gql(api.url, 'mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { id } }', { input: { teamId, userId: manager.userId, role: 'manager' } }, admin.accessToken),
      );
      await fund(api, manager.userId, 100);

      // The manager invites from the team's page; the member accepts the mailed link.
      const page = await newPage();
      const problems = watchProblems(page);
      await signIn(page, api.url, manager.email, UI_TIMEOUT);
      await page.getByTestId('nav-item').filter({ hasText: 'Teams' }).click();
      await page.locator(`[data-testid="teams-row"][data-id="${teamId}"]`).click({ timeout: UI_TIMEOUT });
      await page.waitForURL((at) => at.pathname === `/admin/teams/${teamId}`, { timeout: UI_TIMEOUT });
      await page.getByTestId('team-wallet-balance').filter({ hasText: /^0$/ }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('team-invite').click();
      await waitForDialogOpen(page, UI_TIMEOUT);
      await page.getByTestId('invite-email').fill(member.email);
      await page.getByTestId('invite-submit').click();
      await page.locator(`[data-testid="team-invitation-row"][data-email="${member.email.toLowerCase()}"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      const mail = await smtp.waitFor(member.email, new RegExp(`invited to join ${teamName}`), UI_TIMEOUT);
      const token = decodeURIComponent(/invitations\/accept\?token=([A-Za-z0-9_%-]+)/.exec(FakeSmtp.decoded(mail))?.[1] ?? '');
      dataOf(await gql(api.url, 'mutation ($token: String!) { acceptTeamInvitation(token: $token) { id } }', { token }, member.accessToken));

      // Funds the wallet with 25 of their own credits.
      await page.getByTestId('team-wallet-fund').click();
      await waitForDialogOpen(page, UI_TIMEOUT);
      await page.getByTestId('team-fund-own-balance').filter({ hasText: '100 credits available' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('team-fund-amount').fill('25');
      await page.getByTestId('team-fund-submit').click();
      await page.getByTestId('team-wallet-balance').filter({ hasText: /^25$/ }).waitFor({ timeout: UI_TIMEOUT });
      await page
        .locator(`[data-testid="team-wallet-entry"][data-type="TRANSFER"][data-actor-id="${manager.userId}"]`)
        .filter({ hasText: '+25' })
        .waitFor({ timeout: UI_TIMEOUT });

      // The accepted member is listed (the page read its members before); the manager sets their daily limit.
      await page.reload();
      const memberRow = page.locator(`[data-testid="member-budget-row"][data-user-id="${member.userId}"]`);
      await memberRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await memberRow.getByTestId('member-budget-limits').click();
      await waitForDialogOpen(page, UI_TIMEOUT);
      await page.getByTestId('team-limit-daily').fill('10');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.getByTestId('team-limits-save').click();
      await waitForBudget(page, member.userId, 'today', '0 of 10 credits (0 %)');
      await waitForBudget(page, member.userId, 'month', '0 credits, no limit');

      // The member spends 3 credits through an API key made in the team's name.
      const key = dataOf(
        await gql<{ createApiKey: { secret: string } }>(
          api.url,
          'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
          { input: { name: 'team key', scopes: ['ai.use'], teamId } },
          member.accessToken,
        ),
      ).createApiKey.secret;
      openai.reply({ usage: USAGE });
      for (let call = 0; call < 3; call += 1) {
        const res = await fetch(`${api.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 }),
        });
        expect(res.status).toBe(200);
        await res.text();
      }

      // The manager sees it: on the member's bars, the team's month, the balance and the history.
      await page.reload();
      await waitForBudget(page, member.userId, 'today', '3 of 10 credits (30 %)');
      await waitForBudget(page, member.userId, 'month', '3 credits, no limit');
      const bar = memberRow.getByTestId('member-budget-today').getByRole('progressbar');
      await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('30');
      await expect(bar.getAttribute('aria-label')).resolves.toMatch(/, today: 3 of 10 credits \(30 %\)$/);
      await page.getByTestId('team-wallet-balance').filter({ hasText: /^22$/ }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('team-wallet-month').filter({ hasText: '3 credits, no limit' }).waitFor({ timeout: UI_TIMEOUT });
      await expect(page.locator(`[data-testid="team-wallet-entry"][data-type="USAGE"][data-actor-id="${member.userId}"]`).count()).resolves.toBe(3);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );
});
