import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FakeSmtp } from './support/fake-smtp';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, signIn } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const CREATE_TEAM = 'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }';
const ADD_MEMBER = 'mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { id } }';
const INVITE = 'mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id email role status expired } }';
const ACCEPT = 'mutation ($token: String!) { acceptTeamInvitation(token: $token) { id name myRole } }';
const REVOKE = 'mutation ($id: ID!) { revokeTeamInvitation(id: $id) { id status } }';
const REMOVE = 'mutation ($input: RemoveTeamMemberInput!) { removeTeamMember(input: $input) }';
const SET_ROLE = 'mutation ($input: SetTeamMemberRoleInput!) { setTeamMemberRole(input: $input) { id } }';
const TEAM = 'query ($id: ID!) { team(id: $id) { id myRole members { userId role email } invitations { id email expired } } }';

describe('Team invitations and membership', () => {
  const smtp = new FakeSmtp();
  let api: TestApp;
  let admin: Awaited<ReturnType<typeof createSignedInUser>>;
  const teamNames = new Map<string, string>();

  beforeAll(async () => {
    await smtp.start();
    api = await startTestApp({ SMTP_URL: smtp.url, TEAM_INVITATIONS_PER_HOUR: '100' });
    admin = await createSignedInUser(api, 'ADMIN');
  });

  afterAll(async () => {
    await api?.close();
    await smtp.stop();
  });

  /** A team with a signed-in manager (a USER by role: team roles are the team's own). */
  async function teamWithManager() {
    const name = `Team ${randomUUID().slice(0, 8)}`;
    const team = dataOf(await gql<{ createTeam: { id: string } }>(api.url, CREATE_TEAM, { input: { name } }, admin.accessToken)).createTeam;
    const manager = await createSignedInUser(api);
    dataOf(await gql(api.url, ADD_MEMBER, { input: { teamId: team.id, userId: manager.userId, role: 'manager' } }, admin.accessToken));
    teamNames.set(team.id, name);
    return { teamId: team.id, manager };
  }

  /** Invites a new account's address and returns the account, the invitation and the mailed token. */
  async function invited(teamId: string, bearer: string, role = 'member', invitee?: Awaited<ReturnType<typeof createSignedInUser>>) {
    const account = invitee ?? (await createSignedInUser(api));
    const invitation = dataOf(
      await gql<{ inviteTeamMember: { id: string } }>(api.url, INVITE, { input: { teamId, email: account.email.toUpperCase(), role } }, bearer),
    ).inviteTeamMember;
    return { invitee: account, invitation, token: await mailedToken(account.email, teamId) };
  }

  async function mailedToken(email: string, teamId: string): Promise<string> {
    const mail = await smtp.waitFor(email, new RegExp(`invited to join ${teamNames.get(teamId)}`), 15_000);
    const token = decodeURIComponent(/invitations\/accept\?token=([A-Za-z0-9_%-]+)/.exec(FakeSmtp.decoded(mail))?.[1] ?? '');
    expect(token.length).toBeGreaterThan(30);
    return token;
  }

  async function auditActions(teamId: string): Promise<string[]> {
    const rows = (await api.app.get(DataSource).query(`SELECT action FROM identity_audit_log WHERE target_id = $1 ORDER BY occurred_at, id`, [teamId])) as Array<{
      action: string;
    }>;
    return rows.map((row) => row.action);
  }

  it('a link works once, for the invited account, and the invitation is listed until then', async () => {
    const { teamId, manager } = await teamWithManager();
    const { invitee, invitation, token } = await invited(teamId, manager.accessToken, 'member');

    const pending = dataOf(await gql<{ team: { invitations: Array<{ id: string; email: string }> } }>(api.url, TEAM, { id: teamId }, manager.accessToken));
    expect(pending.team.invitations).toEqual([expect.objectContaining({ id: invitation.id, email: invitee.email.toLowerCase() })]);
    // Only the token's hash is stored.
    const stored = (await api.app.get(DataSource).query(`SELECT token_hash FROM identity_team_invitation WHERE id = $1`, [invitation.id])) as Array<{ token_hash: string }>;
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].token_hash).not.toContain(token);

    const accepted = await gql<{ acceptTeamInvitation: { id: string; myRole: string } }>(api.url, ACCEPT, { token }, invitee.accessToken);
    expect(dataOf(accepted).acceptTeamInvitation).toMatchObject({ id: teamId, myRole: 'member' });

    const again = await gql(api.url, ACCEPT, { token }, invitee.accessToken);
    expect(errorCode(again)).toBe('INVITATION_ALREADY_ACCEPTED');
    const team = dataOf(await gql<{ team: { members: Array<{ userId: string; role: string; email: string }>; invitations: unknown[] } }>(api.url, TEAM, { id: teamId }, manager.accessToken)).team;
    expect(team.members).toEqual(expect.arrayContaining([expect.objectContaining({ userId: invitee.userId, role: 'member', email: invitee.email })]));
    expect(team.invitations).toEqual([]);
    expect(await auditActions(teamId)).toEqual(expect.arrayContaining(['team.invitation_created', 'team.invitation_accepted']));

    // Used is used, whoever holds the link.
    const stranger = await createSignedInUser(api);
    expect(errorCode(await gql(api.url, ACCEPT, { token }, stranger.accessToken))).toBe('INVITATION_ALREADY_ACCEPTED');
    expect(errorCode(await gql(api.url, ACCEPT, { token: 'not-a-token' }, invitee.accessToken))).toBe('NOT_FOUND');
  });

  it('two acceptances of one link at once: exactly one succeeds', async () => {
    const { teamId, manager } = await teamWithManager();
    const { invitee, token } = await invited(teamId, manager.accessToken);
    const results = await Promise.all([1, 2, 3].map(() => gql(api.url, ACCEPT, { token }, invitee.accessToken)));
    expect(results.filter((result) => result.data?.acceptTeamInvitation).length).toBe(1);
    expect(results.filter((result) => errorCode(result) === 'INVITATION_ALREADY_ACCEPTED').length).toBe(2);
  });

  it('another account cannot use the link, and the invitee still can afterwards', async () => {
    const { teamId, manager } = await teamWithManager();
    const { invitee, token } = await invited(teamId, manager.accessToken);
    const other = await createSignedInUser(api);
    const refused = await gql(api.url, ACCEPT, { token }, other.accessToken);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.errors?.[0].extensions.details).toMatchObject({ reason: 'INVITATION_FOR_ANOTHER_ACCOUNT' });
    expect(refused.errors?.[0].message).toMatch(/another e-mail address/);
    expect(errorCode(await gql(api.url, 'query ($id: ID!) { team(id: $id) { id } }', { id: teamId }, other.accessToken))).toBe('NOT_FOUND');
    expect(dataOf(await gql<{ acceptTeamInvitation: { myRole: string } }>(api.url, ACCEPT, { token }, invitee.accessToken)).acceptTeamInvitation.myRole).toBe('member');
  });

  it('an expired link is refused with INVITATION_EXPIRED and the address can be invited again', async () => {
    const { teamId, manager } = await teamWithManager();
    const { invitee, invitation, token } = await invited(teamId, manager.accessToken);
    // The clock is the row's: move the invitation's life into the past.
    await api.app.get(DataSource).query(
      `UPDATE identity_team_invitation SET created_at = now() - interval '8 days', expires_at = now() - interval '1 second' WHERE id = $1`,
      [invitation.id],
    );
    const listed = dataOf(await gql<{ team: { invitations: Array<{ id: string; expired: boolean }> } }>(api.url, TEAM, { id: teamId }, manager.accessToken));
    expect(listed.team.invitations).toEqual([expect.objectContaining({ id: invitation.id, expired: true })]);
    const refused = await gql(api.url, ACCEPT, { token }, invitee.accessToken);
    expect(errorCode(refused)).toBe('INVITATION_EXPIRED');
    expect(dataOf(await gql<{ team: { myRole: string | null } | null }>(api.url, TEAM, { id: teamId }, admin.accessToken)).team?.myRole).toBeNull();

    const again = await gql<{ inviteTeamMember: { status: string } }>(api.url, INVITE, { input: { teamId, email: invitee.email } }, manager.accessToken);
    expect(dataOf(again).inviteTeamMember.status).toBe('pending');
    expect(errorCode(await gql(api.url, INVITE, { input: { teamId, email: invitee.email } }, manager.accessToken))).toBe('CONFLICT');
  });

  it('a revoked link is refused, revoking twice is a conflict, and members cannot revoke', async () => {
    const { teamId, manager } = await teamWithManager();
    const { invitee, invitation, token } = await invited(teamId, manager.accessToken);
    const { invitee: member, token: memberToken } = await invited(teamId, manager.accessToken);
    dataOf(await gql(api.url, ACCEPT, { token: memberToken }, member.accessToken));
    expect(errorCode(await gql(api.url, REVOKE, { id: invitation.id }, member.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, INVITE, { input: { teamId, email: 'x@example.com' } }, member.accessToken))).toBe('FORBIDDEN');

    expect(dataOf(await gql<{ revokeTeamInvitation: { status: string } }>(api.url, REVOKE, { id: invitation.id }, manager.accessToken)).revokeTeamInvitation.status).toBe(
      'revoked',
    );
    expect(errorCode(await gql(api.url, REVOKE, { id: invitation.id }, manager.accessToken))).toBe('CONFLICT');
    expect(errorCode(await gql(api.url, ACCEPT, { token }, invitee.accessToken))).toBe('INVITATION_REVOKED');
    expect(await auditActions(teamId)).toContain('team.invitation_revoked');
  });

  it('managers set roles and remove members; the last manager can be neither removed nor demoted', async () => {
    const { teamId, manager } = await teamWithManager();
    const { invitee, token } = await invited(teamId, manager.accessToken);
    dataOf(await gql(api.url, ACCEPT, { token }, invitee.accessToken));

    const demoteSelf = await gql(api.url, SET_ROLE, { input: { teamId, userId: manager.userId, role: 'member' } }, manager.accessToken);
    expect(errorCode(demoteSelf)).toBe('CONFLICT');
    expect(demoteSelf.errors?.[0].extensions.details).toMatchObject({ reason: 'LAST_MANAGER' });
    expect(errorCode(await gql(api.url, REMOVE, { input: { teamId, userId: manager.userId } }, manager.accessToken))).toBe('CONFLICT');
    // Admins are held to the same rule.
    expect(errorCode(await gql(api.url, REMOVE, { input: { teamId, userId: manager.userId } }, admin.accessToken))).toBe('CONFLICT');
    // A plain member cannot change roles.
    expect(errorCode(await gql(api.url, SET_ROLE, { input: { teamId, userId: invitee.userId, role: 'manager' } }, invitee.accessToken))).toBe('FORBIDDEN');

    dataOf(await gql(api.url, SET_ROLE, { input: { teamId, userId: invitee.userId, role: 'manager' } }, manager.accessToken));
    // Two managers now: the first may step down, after which the second is the last.
    dataOf(await gql(api.url, SET_ROLE, { input: { teamId, userId: manager.userId, role: 'member' } }, manager.accessToken));
    expect(errorCode(await gql(api.url, SET_ROLE, { input: { teamId, userId: manager.userId, role: 'manager' } }, manager.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, REMOVE, { input: { teamId, userId: invitee.userId } }, invitee.accessToken))).toBe('CONFLICT');
    expect(dataOf(await gql(api.url, REMOVE, { input: { teamId, userId: manager.userId } }, invitee.accessToken))).toEqual({ removeTeamMember: true });
    expect(errorCode(await gql(api.url, TEAM, { id: teamId }, manager.accessToken))).toBe('NOT_FOUND');
    expect(await auditActions(teamId)).toEqual(expect.arrayContaining(['team.member_role_changed', 'team.member_removed']));
  });

  it('two managers demoting each other at once leave one manager', async () => {
    const { teamId, manager } = await teamWithManager();
    const { invitee, token } = await invited(teamId, manager.accessToken, 'manager');
    dataOf(await gql(api.url, ACCEPT, { token }, invitee.accessToken));
    const results = await Promise.all([
      gql(api.url, SET_ROLE, { input: { teamId, userId: invitee.userId, role: 'member' } }, manager.accessToken),
      gql(api.url, SET_ROLE, { input: { teamId, userId: manager.userId, role: 'member' } }, invitee.accessToken),
    ]);
    // One is refused: as the last manager's demotion (CONFLICT), or, when the other demotion has
    // already committed, because its caller is no longer a manager (FORBIDDEN).
    const refusals = results.map((result) => errorCode(result)).filter(Boolean);
    expect(refusals).toHaveLength(1);
    expect(['CONFLICT', 'FORBIDDEN']).toContain(refusals[0]);
    const members = dataOf(await gql<{ team: { members: Array<{ role: string }> } }>(api.url, TEAM, { id: teamId }, admin.accessToken)).team.members;
    expect(members.filter((member) => member.role === 'manager').length).toBe(1);
  });

  it("another team's ids are NOT_FOUND, and a user can belong to several teams", async () => {
    const first = await teamWithManager();
    const second = await teamWithManager();
    const { invitee, invitation, token } = await invited(second.teamId, second.manager.accessToken);

    expect(errorCode(await gql(api.url, REVOKE, { id: invitation.id }, first.manager.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, TEAM, { id: second.teamId }, first.manager.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, INVITE, { input: { teamId: second.teamId, email: 'a@example.com' } }, first.manager.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, REMOVE, { input: { teamId: second.teamId, userId: second.manager.userId } }, first.manager.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, SET_ROLE, { input: { teamId: second.teamId, userId: second.manager.userId, role: 'member' } }, first.manager.accessToken))).toBe(
      'NOT_FOUND',
    );
    // Members of the manager's own team only.
    expect(errorCode(await gql(api.url, REMOVE, { input: { teamId: first.teamId, userId: second.manager.userId } }, first.manager.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, TEAM, { id: randomUUID() }, admin.accessToken))).toBe('NOT_FOUND');

    dataOf(await gql(api.url, ACCEPT, { token }, invitee.accessToken));
    const teams = dataOf(await gql<{ teams: Array<{ id: string }> }>(api.url, '{ teams { id } }', undefined, invitee.accessToken)).teams;
    expect(teams.map((team) => team.id)).toEqual([second.teamId]);
  });

  it('an address that is already a member is not invited, and invitations per hour are capped', async () => {
    const { teamId, manager } = await teamWithManager();
    expect(errorCode(await gql(api.url, INVITE, { input: { teamId, email: manager.email } }, manager.accessToken))).toBe('CONFLICT');
    expect(errorCode(await gql(api.url, INVITE, { input: { teamId, email: 'not an address' } }, manager.accessToken))).toBe('BAD_USER_INPUT');
    const limited = await startTestApp({ TEAM_INVITATIONS_PER_HOUR: '2' });
    try {
      const limitedAdmin = await createSignedInUser(limited, 'ADMIN');
      const team = dataOf(await gql<{ createTeam: { id: string } }>(limited.url, CREATE_TEAM, { input: { name: 'Capped' } }, limitedAdmin.accessToken)).createTeam;
      const invite = (n: number) => gql(limited.url, INVITE, { input: { teamId: team.id, email: `capped-${n}@example.com` } }, limitedAdmin.accessToken);
      expect(errorCode(await invite(1))).toBeUndefined();
      expect(errorCode(await invite(2))).toBeUndefined();
      const third = await invite(3);
      expect(errorCode(third)).toBe('RATE_LIMITED');
      expect(third.errors?.[0].extensions.details?.['retry_after_seconds']).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('a user in several teams lists each with their role; API keys cannot manage teams', async () => {
    const first = await teamWithManager();
    const second = await teamWithManager();
    const { invitee, token } = await invited(first.teamId, first.manager.accessToken, 'manager');
    dataOf(await gql(api.url, ACCEPT, { token }, invitee.accessToken));
    const joining = await invited(second.teamId, second.manager.accessToken, 'member', invitee);
    const session = await signIn(api, invitee.email);
    dataOf(await gql(api.url, ACCEPT, { token: joining.token }, session.accessToken));
    const teams = dataOf(await gql<{ teams: Array<{ id: string; myRole: string }> }>(api.url, '{ teams { id myRole } }', undefined, invitee.accessToken)).teams;
    expect(teams).toHaveLength(2);
    expect(Object.fromEntries(teams.map((team) => [team.id, team.myRole]))).toEqual({ [first.teamId]: 'manager', [second.teamId]: 'member' });
    const key = dataOf(
      await gql<{ createApiKey: { secret: string } }>(api.url, 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
        input: { name: 'k', scopes: ['ai.use'] },
      }, invitee.accessToken),
    ).createApiKey.secret;
    expect(errorCode(await gql(api.url, INVITE, { input: { teamId: first.teamId, email: 'k@example.com' } }, key))).toBe('FORBIDDEN');
  });

  it('usage per member of a team: for its managers and admins, with the member in the CSV', async () => {
    const { teamId, manager } = await teamWithManager();
    const { invitee, token } = await invited(teamId, manager.accessToken);
    dataOf(await gql(api.url, ACCEPT, { token }, invitee.accessToken));
    const outsider = await createSignedInUser(api);
    const db = api.app.get(DataSource);
    const at = new Date(Date.now() - 60_000);
    for (const [userId, credits] of [[invitee.userId, 1500], [invitee.userId, 500], [manager.userId, 250], [outsider.userId, 9000]] as const) {
      await db.query(
        `INSERT INTO ai_usage (user_id, endpoint, model, provider, upstream_model, stream, input_tokens, output_tokens, credits, latency_ms, status, created_at)
         VALUES ($1, 'openai', 'gpt-4o-mini', 'openai', 'gpt-4o-mini', false, 10, 10, $2, 50, 'ok', $3)`,
        [userId, credits, at],
      );
    }
    const SUMMARY = 'query ($filter: UsageSummaryFilterInput) { usageSummary(filter: $filter) { groupBy rows { key member credits requests } totals { credits } } }';
    const summary = dataOf(
      await gql<{ usageSummary: { rows: Array<{ key: string; member: string; credits: number; requests: number }>; totals: { credits: number } } }>(
        api.url,
        SUMMARY,
        { filter: { groupBy: 'MEMBER', teamId } },
        manager.accessToken,
      ),
    ).usageSummary;
    expect(summary.rows).toEqual([
      { key: invitee.userId, member: invitee.email, credits: 2, requests: 2 },
      { key: manager.userId, member: manager.email, credits: 0.25, requests: 1 },
    ]);
    expect(summary.totals.credits).toBe(2.25);
    expect(dataOf(await gql<{ usageSummary: { rows: unknown[] } }>(api.url, SUMMARY, { filter: { groupBy: 'MEMBER', teamId } }, admin.accessToken)).usageSummary.rows).toHaveLength(2);

    expect(errorCode(await gql(api.url, SUMMARY, { filter: { groupBy: 'MEMBER', teamId } }, invitee.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, SUMMARY, { filter: { groupBy: 'MEMBER', teamId } }, outsider.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, SUMMARY, { filter: { groupBy: 'MEMBER' } }, manager.accessToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(api.url, SUMMARY, { filter: { groupBy: 'MEMBER', teamId, userId: outsider.userId } }, manager.accessToken))).toBe('NOT_FOUND');

    const csv = await fetch(`${api.url}/api/v1/ai/usage.csv?groupBy=member&teamId=${teamId}`, { headers: { authorization: `Bearer ${manager.accessToken}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('user_id,member,requests,input_tokens,output_tokens,credits,avg_latency_ms,p95_latency_ms,error_rate');
    expect(lines[1]).toMatch(new RegExp(`^${invitee.userId},${invitee.email},2,20,20,2,`));
    expect(lines).toHaveLength(3);
    const refused = await fetch(`${api.url}/api/v1/ai/usage.csv?groupBy=member&teamId=${teamId}`, { headers: { authorization: `Bearer ${outsider.accessToken}` } });
    expect(refused.status).toBe(404);
  });
});
