import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { seriousAccessibilityViolations } from './support/axe';
import { waitForDialogOpen } from './support/console-lists';
import { fillLogin, signIn, startConsole, watchProblems } from './support/console-session';
import { FakeSmtp } from './support/fake-smtp';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser, createUser } from './support/identity-fixtures';
import { TestApp } from './support/test-app';

const UI_TIMEOUT = 30_000;
/** Two people, two browser contexts, a mail and two axe scans, on a loaded 2-core machine. */
const JOURNEY_TIMEOUT = 150_000;

/**
 * A team's manager invites someone from the built console in headless Chromium; the invitee opens
 * the mailed link, signs in on the way, accepts, and the manager sees them among the members.
 */
describe('admin console: team invitations in a browser', () => {
  const smtp = new FakeSmtp();
  let api: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await smtp.start();
    ({ api, browser } = await startConsole({ SMTP_URL: smtp.url }));
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await api?.close();
    await smtp.stop();
  });

  async function newPage() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  it(
    'a manager invites by e-mail, the invitee accepts through the link, and joins the members',
    async () => {
      const admin = await createSignedInUser(api, 'ADMIN');
      const teamName = `Team ${randomUUID().slice(0, 8)}`;
      const team = dataOf(
        await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }', { input: { name: teamName } }, admin.accessToken),
      ).createTeam;
      const manager = await createUser(api, 'USER');
      const invitee = await createUser(api, 'USER');
      dataOf(
        await gql(api.url, 'mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { id } }', {
          input: { teamId: team.id, userId: manager.id, role: 'manager' },
        }, admin.accessToken),
      );

      // The manager: Teams → the team → Invite.
      const managerPage = await newPage();
      const managerProblems = watchProblems(managerPage);
      await signIn(managerPage, api.url, manager.email.value, UI_TIMEOUT);
      await managerPage.getByTestId('nav-item').filter({ hasText: 'Teams' }).click();
      await managerPage.locator(`[data-testid="teams-row"][data-id="${team.id}"]`).click({ timeout: UI_TIMEOUT });
      await managerPage.waitForURL((at) => at.pathname === `/admin/teams/${team.id}`, { timeout: UI_TIMEOUT });
      await managerPage.getByTestId('team-invitations-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await managerPage.getByTestId('team-invite').click();
      await waitForDialogOpen(managerPage, UI_TIMEOUT);
      await managerPage.getByTestId('invite-email').fill(invitee.email.value);
      await managerPage.getByTestId('invite-submit').click();
      const pending = managerPage.locator(`[data-testid="team-invitation-row"][data-email="${invitee.email.value.toLowerCase()}"]`);
      await pending.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(await seriousAccessibilityViolations(managerPage)).toEqual([]);

      // The invitee: the mailed link, signing in on the way, then Accept.
      const mail = await smtp.waitFor(invitee.email.value, new RegExp(`invited to join ${teamName}`), UI_TIMEOUT);
      const token = decodeURIComponent(/invitations\/accept\?token=([A-Za-z0-9_%-]+)/.exec(FakeSmtp.decoded(mail))?.[1] ?? '');
      expect(token.length).toBeGreaterThan(30);
      const inviteePage = await newPage();
      const inviteeProblems = watchProblems(inviteePage);
      await inviteePage.goto(`${api.url}/admin/invitations/accept?token=${encodeURIComponent(token)}`);
      await inviteePage.waitForURL((at) => at.pathname === '/admin/login', { timeout: UI_TIMEOUT });
      await fillLogin(inviteePage, invitee.email.value);
      await inviteePage.waitForURL((at) => at.pathname === '/admin/invitations/accept', { timeout: UI_TIMEOUT });
      await inviteePage.getByTestId('invitation-accept').click({ timeout: UI_TIMEOUT });
      await inviteePage.getByTestId('invitation-joined').filter({ hasText: teamName }).waitFor({ timeout: UI_TIMEOUT });
      expect(await seriousAccessibilityViolations(inviteePage)).toEqual([]);

      // Used once: a second try is refused in words.
      await inviteePage.reload();
      await inviteePage.getByTestId('invitation-accept').click({ timeout: UI_TIMEOUT });
      await inviteePage.getByTestId('invitation-error').filter({ hasText: 'already been used' }).waitFor({ timeout: UI_TIMEOUT });

      // The manager sees the new member, and no pending invitation.
      await managerPage.reload();
      await managerPage
        .locator(`[data-testid="team-member-row"][data-user-id="${invitee.id}"][data-role="member"]`)
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await managerPage.getByTestId('team-invitations-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(managerProblems).toEqual([]);
      // The refused second acceptance logs its GraphQL error; nothing else may.
      expect(inviteeProblems.filter((problem) => !/already been used/.test(problem))).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );
});
