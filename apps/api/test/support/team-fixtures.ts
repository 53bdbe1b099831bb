import { randomUUID } from 'node:crypto';
import { dataOf, gql } from './graphql-client';
import { createSignedInUser, Session } from './identity-fixtures';
import type { TestApp } from './test-app';

export const TEAM_WALLET_FIELDS = `teamId balance reserved available monthlyCap usedThisMonth members { userId dailyCredits monthlyCredits usedToday usedThisMonth }`;

export interface TeamWalletView {
  teamId: string;
  balance: number;
  reserved: number;
  available: number;
  monthlyCap: number | null;
  usedThisMonth: number;
  members: Array<{ userId: string; dailyCredits: number | null; monthlyCredits: number | null; usedToday: number; usedThisMonth: number }>;
}

/** A team with a manager and a member (both plain users), its wallet funded by `admin` with `credits`. */
export async function createFundedTeam(api: TestApp, admin: Session, credits: number) {
  const teamId = dataOf(
    await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `team ${randomUUID()}` }, admin.accessToken),
  ).createTeam.id;
  const manager = await createSignedInUser(api);
  const member = await createSignedInUser(api);
  for (const [session, role] of [[manager, 'manager'], [member, 'member']] as const) {
    dataOf(await gql(api.url, 'mutation ($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }', { i: { teamId, userId: session.userId, role } }, admin.accessToken));
  }
  if (credits > 0) {
    dataOf(
      await gql(
        api.url,
        'mutation ($input: AdjustTeamWalletInput!) { adjustTeamWallet(input: $input) { transactionId } }',
        { input: { teamId, amount: credits, reason: 'team budget' } },
        admin.accessToken,
      ),
    );
  }
  return { teamId, manager, member };
}

/** An API key of `session`'s that spends the team's wallet. */
export async function createTeamKey(api: TestApp, session: Session, teamId: string, scopes: string[]): Promise<string> {
  return dataOf(
    await gql<{ createApiKey: { secret: string } }>(
      api.url,
      'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: `team key ${randomUUID().slice(0, 8)}`, scopes, teamId } },
      session.accessToken,
    ),
  ).createApiKey.secret;
}

export async function teamWallet(api: TestApp, teamId: string, session: Session): Promise<TeamWalletView> {
  return dataOf(
    await gql<{ teamWallet: TeamWalletView }>(api.url, `query ($teamId: ID!) { teamWallet(teamId: $teamId) { ${TEAM_WALLET_FIELDS} } }`, { teamId }, session.accessToken),
  ).teamWallet;
}

export async function setMemberLimits(api: TestApp, admin: Session, input: { teamId: string; userId: string; dailyCredits?: number | null; monthlyCredits?: number | null }) {
  dataOf(await gql(api.url, 'mutation ($input: SetTeamMemberLimitsInput!) { setTeamMemberLimits(input: $input) { teamId } }', { input }, admin.accessToken));
}

export async function setMonthlyCap(api: TestApp, admin: Session, teamId: string, monthlyCap: number | null) {
  dataOf(await gql(api.url, 'mutation ($input: SetTeamMonthlyCapInput!) { setTeamMonthlyCap(input: $input) { teamId } }', { input: { teamId, monthlyCap } }, admin.accessToken));
}
