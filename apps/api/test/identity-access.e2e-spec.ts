import { Role, ROLES } from '@sah/domain';
import { DataSource } from 'typeorm';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser, createUser, Session, signIn, uniqueEmail } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const ME = '{ me { id roles } }';

describe('identity: roles, permissions, API keys and audit', () => {
  let api: TestApp;
  const bootstrapEmail = uniqueEmail('root');
  const sessions = {} as Record<Role, Session>;

  beforeAll(async () => {
    api = await startTestApp({ BOOTSTRAP_ADMIN_EMAIL: bootstrapEmail, BOOTSTRAP_ADMIN_PASSWORD: 'B00tstrap-Admin' });
    for (const role of ROLES) sessions[role] = await createSignedInUser(api, role);
  });
  afterAll(() => api.close());

  it('creates the bootstrap super admin at start, verified', async () => {
    const root = await signIn(api, bootstrapEmail, 'B00tstrap-Admin');
    expect((await gql(api.url, ME, undefined, root.accessToken)).data?.me).toMatchObject({ roles: ['SUPER_ADMIN'] });
  });

  // The role matrix, operation by operation: what each role gets back (the target is nobody's team).
  type Outcome = 'ok' | 'FORBIDDEN' | 'NOT_FOUND';
  const operations: { name: string; run: (bearer: string, target: string) => Promise<GraphqlResult>; outcome: Record<Role, Outcome> }[] = [
    { name: 'me', run: (b) => gql(api.url, ME, undefined, b), outcome: { SUPER_ADMIN: 'ok', ADMIN: 'ok', MANAGER: 'ok', USER: 'ok', GUEST: 'ok' } },
    {
      name: 'apiKeys',
      run: (b) => gql(api.url, '{ apiKeys { id } }', undefined, b),
      outcome: { SUPER_ADMIN: 'ok', ADMIN: 'ok', MANAGER: 'ok', USER: 'ok', GUEST: 'FORBIDDEN' },
    },
    {
      name: 'users',
      run: (b) => gql(api.url, '{ users { pageInfo { total } } }', undefined, b),
      outcome: { SUPER_ADMIN: 'ok', ADMIN: 'ok', MANAGER: 'ok', USER: 'FORBIDDEN', GUEST: 'FORBIDDEN' },
    },
    {
      name: 'user',
      run: (b, t) => gql(api.url, 'query ($id: ID!) { user(id: $id) { id } }', { id: t }, b),
      outcome: { SUPER_ADMIN: 'ok', ADMIN: 'ok', MANAGER: 'NOT_FOUND', USER: 'FORBIDDEN', GUEST: 'FORBIDDEN' },
    },
    {
      name: 'auditLog',
      run: (b) => gql(api.url, '{ auditLog { pageInfo { total } } }', undefined, b),
      outcome: { SUPER_ADMIN: 'ok', ADMIN: 'ok', MANAGER: 'FORBIDDEN', USER: 'FORBIDDEN', GUEST: 'FORBIDDEN' },
    },
    {
      name: 'createTeam',
      run: (b) => gql(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `team ${Math.random()}` }, b),
      outcome: { SUPER_ADMIN: 'ok', ADMIN: 'ok', MANAGER: 'FORBIDDEN', USER: 'FORBIDDEN', GUEST: 'FORBIDDEN' },
    },
  ];

  it.each(operations.flatMap((op) => ROLES.map((role) => [op.name, role, op.outcome[role]] as const)))(
    '%s as %s → %s',
    async (name, role, outcome) => {
      const op = operations.find((o) => o.name === name);
      if (!op) throw new Error(`no operation ${name}`);
      const target = await createUser(api, 'USER');
      const result = await op.run(sessions[role].accessToken, target.id);
      if (outcome === 'ok') expect(result.errors).toBeUndefined();
      else expect(errorCode(result)).toBe(outcome);
    },
  );

  it('scopes managers to the members of the teams they manage', async () => {
    const manager = await createSignedInUser(api, 'MANAGER');
    const member = await createUser(api, 'USER');
    const outsider = await createUser(api, 'USER');
    const admin = sessions.ADMIN.accessToken;
    const team = dataOf(await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `Sales ${member.id}` }, admin)).createTeam;
    const add = (userId: string, role: string) =>
      gql(api.url, 'mutation ($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id members { userId role } } }', { i: { teamId: team.id, userId, role } }, admin);
    expect((await add(manager.userId, 'manager')).errors).toBeUndefined();
    expect((await add(member.id, 'member')).errors).toBeUndefined();
    expect(errorCode(await gql(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `SALES ${member.id}` }, admin))).toBe('CONFLICT');

    const listed = dataOf(await gql<{ users: { items: { id: string }[] } }>(api.url, '{ users(filter: { perPage: 100 }) { items { id } } }', undefined, manager.accessToken));
    expect(listed.users.items.map((u) => u.id).sort()).toEqual([manager.userId, member.id].sort());
    const read = (id: string) => gql(api.url, 'query ($id: ID!) { user(id: $id) { id } }', { id }, manager.accessToken);
    expect((await read(member.id)).data).toEqual({ user: { id: member.id } });
    expect(errorCode(await read(outsider.id))).toBe('NOT_FOUND');
  });

  it('assigns roles only below one’s own, never one’s own, audited, effective on the next request', async () => {
    const target = await createSignedInUser(api, 'USER');
    const assign = (bearer: string, userId: string, role: Role) =>
      gql(api.url, 'mutation ($input: AssignRoleInput!) { assignRole(input: $input) { id roles } }', { input: { userId, role } }, bearer);

    expect(errorCode(await assign(sessions.ADMIN.accessToken, target.userId, 'ADMIN'))).toBe('FORBIDDEN');
    expect(errorCode(await assign(sessions.ADMIN.accessToken, sessions.ADMIN.userId, 'USER'))).toBe('FORBIDDEN');
    expect(errorCode(await assign(sessions.MANAGER.accessToken, target.userId, 'GUEST'))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, '{ users { pageInfo { total } } }', undefined, target.accessToken))).toBe('FORBIDDEN');

    const promoted = await assign(sessions.SUPER_ADMIN.accessToken, target.userId, 'ADMIN');
    expect(promoted.data?.assignRole).toEqual({ id: target.userId, roles: ['ADMIN'] });
    // Same access token, next request: the new role applies.
    expect((await gql(api.url, '{ users { pageInfo { total } } }', undefined, target.accessToken)).errors).toBeUndefined();

    const audit = await gql<{ auditLog: { items: { action: string; actorId: string; targetId: string; details: object; requestId: string }[] } }>(
      api.url,
      'query ($f: AuditLogFilterInput) { auditLog(filter: $f) { items { action actorId targetId details requestId } } }',
      { f: { action: 'user.role_assigned', targetId: target.userId } },
      sessions.SUPER_ADMIN.accessToken,
    );
    expect(audit.data?.auditLog.items).toEqual([
      expect.objectContaining({ actorId: sessions.SUPER_ADMIN.userId, targetId: target.userId, details: { from: 'USER', to: 'ADMIN' }, requestId: expect.any(String) }),
    ]);
  });

  it('applies a suspension on the next request', async () => {
    const target = await createSignedInUser(api, 'USER');
    const suspend = await gql(api.url, 'mutation ($id: ID!) { setUserSuspended(id: $id, suspended: true) { status } }', { id: target.userId }, sessions.ADMIN.accessToken);
    expect(suspend.data).toEqual({ setUserSuspended: { status: 'suspended' } });
    expect(errorCode(await gql(api.url, ME, undefined, target.accessToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(api.url, 'mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', { t: target.refreshToken }))).toBe('ACCOUNT_SUSPENDED');
  });

  it('answers NOT_FOUND for an unknown or malformed user id, never data', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect(errorCode(await gql(api.url, 'query ($id: ID!) { user(id: $id) { id } }', { id }, sessions.ADMIN.accessToken))).toBe('NOT_FOUND');
    }
  });

  it('answers NOT_FOUND for a malformed user id whoever asks and whatever the call', async () => {
    const id = 'not-a-uuid';
    for (const role of ['MANAGER', 'SUPER_ADMIN'] as const) {
      expect(errorCode(await gql(api.url, 'query ($id: ID!) { user(id: $id) { id } }', { id }, sessions[role].accessToken))).toBe('NOT_FOUND');
    }
    const suspend = 'mutation ($id: ID!) { setUserSuspended(id: $id, suspended: true) { status } }';
    expect(errorCode(await gql(api.url, suspend, { id }, sessions.ADMIN.accessToken))).toBe('NOT_FOUND');
  });

  describe('API keys', () => {
    const CREATE = 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id name prefix scopes expiresAt } secret } }';
    type Created = { createApiKey: { apiKey: { id: string; prefix: string; scopes: string[]; expiresAt: string }; secret: string } };

    it('shows the secret once, works as a bearer within its scopes, stops working when revoked', async () => {
      const owner = sessions.USER;
      const created = await gql<Created>(api.url, CREATE, { input: { name: 'laptop', scopes: ['ai.use'] } }, owner.accessToken);
      const { apiKey, secret } = dataOf(created).createApiKey;
      expect(secret).toMatch(/^sah_[A-Za-z0-9_-]{43}$/);
      expect(secret.startsWith(apiKey.prefix)).toBe(true);
      expect(new Date(apiKey.expiresAt).getTime() - Date.now()).toBeGreaterThan(89 * 86_400_000);

      expect((await gql(api.url, ME, undefined, secret)).data?.me).toMatchObject({ id: owner.userId });
      // Key-management is not within any key's scopes.
      expect(errorCode(await gql(api.url, '{ apiKeys { id } }', undefined, secret))).toBe('FORBIDDEN');

      const listed = await gql<{ apiKeys: { id: string; prefix: string }[] }>(api.url, '{ apiKeys { id prefix } }', undefined, owner.accessToken);
      expect(listed.data?.apiKeys).toContainEqual({ id: apiKey.id, prefix: apiKey.prefix });
      expect(JSON.stringify(listed)).not.toContain(secret);

      // Another user cannot revoke it: as far as they can tell it does not exist.
      const revoke = 'mutation ($id: ID!) { revokeApiKey(id: $id) }';
      expect(errorCode(await gql(api.url, revoke, { id: apiKey.id }, sessions.MANAGER.accessToken))).toBe('NOT_FOUND');
      expect((await gql(api.url, revoke, { id: apiKey.id }, owner.accessToken)).data).toEqual({ revokeApiKey: true });
      expect(errorCode(await gql(api.url, ME, undefined, secret))).toBe('UNAUTHENTICATED');
    });

    it('rotates a key: same name and scopes, new secret, the old one refused; malformed ids are NOT_FOUND', async () => {
      const owner = sessions.USER;
      const { apiKey, secret } = dataOf(await gql<Created>(api.url, CREATE, { input: { name: 'ci', scopes: ['credits.read', 'ai.use'] } }, owner.accessToken)).createApiKey;
      const rotated = dataOf(
        await gql<{ rotateApiKey: Created['createApiKey'] }>(
          api.url,
          'mutation ($id: ID!) { rotateApiKey(id: $id) { apiKey { id name prefix scopes expiresAt } secret } }',
          { id: apiKey.id },
          owner.accessToken,
        ),
      ).rotateApiKey;
      expect(rotated.secret).not.toBe(secret);
      expect(rotated.apiKey.scopes.sort()).toEqual(['ai.use', 'credits.read']);
      expect(errorCode(await gql(api.url, ME, undefined, secret))).toBe('UNAUTHENTICATED');
      expect((await gql(api.url, ME, undefined, rotated.secret)).data?.me).toMatchObject({ id: owner.userId });
      for (const mutation of ['mutation ($id: ID!) { revokeApiKey(id: $id) }', 'mutation ($id: ID!) { rotateApiKey(id: $id) { secret } }']) {
        expect(errorCode(await gql(api.url, mutation, { id: 'not-a-uuid' }, owner.accessToken))).toBe('NOT_FOUND');
        expect(errorCode(await gql(api.url, mutation, { id: apiKey.id }, owner.accessToken))).toBe('NOT_FOUND');
      }
    });

    it('lets only administrators grant partner.credits, and refuses unknown scopes', async () => {
      const input = { name: 'partner', scopes: ['partner.credits'] };
      expect(errorCode(await gql(api.url, CREATE, { input }, sessions.USER.accessToken))).toBe('FORBIDDEN');
      expect((await gql<Created>(api.url, CREATE, { input }, sessions.ADMIN.accessToken)).data?.createApiKey.apiKey.scopes).toEqual(['partner.credits']);
      expect(errorCode(await gql(api.url, CREATE, { input: { name: 'x', scopes: ['root'] } }, sessions.USER.accessToken))).toBe('BAD_USER_INPUT');
      expect(errorCode(await gql(api.url, CREATE, { input: { name: 'x', scopes: ['ai.use'], extra: 1 } }, sessions.USER.accessToken))).toBe('BAD_USER_INPUT');
    });
  });

  it('keeps the audit log append-only in the database itself', async () => {
    const dataSource = api.app.get(DataSource);
    await expect(dataSource.query(`UPDATE identity_audit_log SET action = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM identity_audit_log`)).rejects.toThrow(/append-only/);
  });
});
