import { JwtService } from '@nestjs/jwt';
import { API_KEY_SCOPES, ApiKeyScope, Role } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthStateCache } from '../src/contexts/identity/auth/auth-state.cache';
import { fund, partner } from './support/billing-fixtures';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { FakeSmtp } from './support/fake-smtp';
import { createSignedInUser, createUser, PASSWORD, signIn, uniqueEmail } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const ME = '{ me { id } }';
const REFRESH = 'mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }';
const LOGOUT = 'mutation { logout }';

/** Issue 16: identity and authorization findings of the outside probe, one describe per finding. */
describe('security: identity and authorization', () => {
  let api: TestApp;

  const smtp = new FakeSmtp();

  beforeAll(async () => {
    await smtp.start();
    api = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await api.close();
    await smtp.stop();
  });

  describe('16.9a: the access-token verifier pins its claims', () => {
    const jwt = new JwtService({});
    const sign = (payload: Record<string, unknown>, options: Record<string, unknown> = {}) => {
      const { jwtSecret, jwtIssuer, jwtAudience } = api.config.identity;
      return jwt.signAsync(payload, { secret: jwtSecret, algorithm: 'HS256', issuer: jwtIssuer, audience: jwtAudience, ...options });
    };
    const me = (token: string) => gql(api.url, ME, undefined, token);

    it('accepts a well-formed token signed with the real secret (the control)', async () => {
      const user = await createSignedInUser(api);
      const token = await sign({ sub: user.userId, jti: randomUUID(), sid: randomUUID() }, { expiresIn: 60 });
      expect((await me(token)).data).toEqual({ me: { id: user.userId } });
    });

    it.each([
      ['without exp', {}, {}],
      ['without iat', {}, { expiresIn: 60, noTimestamp: true }],
      ['without jti', { jti: undefined }, { expiresIn: 60 }],
      ['without a session id', { sid: undefined }, { expiresIn: 60 }],
      ['living longer than any token we issue', {}, { expiresIn: 365 * 86_400 }],
      ['issued far in the past', { iat: Math.floor(Date.now() / 1000) - 2 * 86_400 }, { expiresIn: 3 * 86_400 }],
      ['from another issuer', {}, { expiresIn: 60, issuer: 'https://elsewhere.example' }],
      ['for another audience', {}, { expiresIn: 60, audience: 'another-app' }],
      ['signed with HS512', {}, { expiresIn: 60, algorithm: 'HS512' }],
    ])('refuses a token %s, even signed with the real secret', async (_case, claims, options) => {
      const user = await createSignedInUser(api);
      const token = await sign({ sub: user.userId, jti: randomUUID(), sid: randomUUID(), ...claims }, options);
      expect(errorCode(await me(token))).toBe('UNAUTHENTICATED');
    });

    it('refuses an unsigned token (alg none)', async () => {
      const user = await createSignedInUser(api);
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const { jwtIssuer, jwtAudience } = api.config.identity;
      const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: user.userId, jti: randomUUID(), sid: randomUUID(), iat: now, exp: now + 60, iss: jwtIssuer, aud: jwtAudience })}.`;
      expect(errorCode(await me(token))).toBe('UNAUTHENTICATED');
    });
  });

  describe('16.4: logout without an argument ends the whole session', () => {
    const refresh = (token: string) => gql<{ refreshToken: { accessToken: string; refreshToken: string } }>(api.url, REFRESH, { token });

    it('refuses the refresh token and every access token of the session; other sessions keep working', async () => {
      const session = await createSignedInUser(api);
      const other = await signIn(api, session.email);
      // An access token from before a rotation belongs to the same session as the current one.
      const rotated = dataOf(await refresh(session.refreshToken)).refreshToken;

      expect(dataOf(await gql(api.url, LOGOUT, undefined, rotated.accessToken))).toEqual({ logout: true });

      expect(errorCode(await refresh(rotated.refreshToken))).toBe('UNAUTHENTICATED');
      expect(errorCode(await gql(api.url, ME, undefined, rotated.accessToken))).toBe('UNAUTHENTICATED');
      expect(errorCode(await gql(api.url, ME, undefined, session.accessToken))).toBe('UNAUTHENTICATED');
      expect((await gql(api.url, ME, undefined, other.accessToken)).data).toEqual({ me: { id: session.userId } });
      expect(dataOf(await refresh(other.refreshToken)).refreshToken.accessToken).toBeTruthy();
    });
  });

  describe('16.5: changePassword ends every other session at once', () => {
    const CHANGE = 'mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }';

    it('refuses the other sessions’ access and refresh tokens; the caller’s session stays', async () => {
      const current = await createSignedInUser(api);
      const other = await signIn(api, current.email);
      // A token from before a rotation of the other session is refused too.
      const otherRotated = dataOf(await gql<{ refreshToken: { accessToken: string; refreshToken: string } }>(api.url, REFRESH, { token: other.refreshToken })).refreshToken;

      const changed = await gql(api.url, CHANGE, { input: { currentPassword: PASSWORD, newPassword: 'N3w-Passphrase' } }, current.accessToken);
      expect(changed.data).toEqual({ changePassword: true });

      for (const token of [other.accessToken, otherRotated.accessToken]) {
        expect(errorCode(await gql(api.url, ME, undefined, token))).toBe('UNAUTHENTICATED');
      }
      expect(errorCode(await gql(api.url, REFRESH, { token: otherRotated.refreshToken }))).toBe('UNAUTHENTICATED');
      expect((await gql(api.url, ME, undefined, current.accessToken)).data).toEqual({ me: { id: current.userId } });
      const refreshed = dataOf(await gql<{ refreshToken: { accessToken: string } }>(api.url, REFRESH, { token: current.refreshToken }));
      expect((await gql(api.url, ME, undefined, refreshed.refreshToken.accessToken)).data).toEqual({ me: { id: current.userId } });
    });
  });

  describe('16.1: an API key acts with its owner’s current rights', () => {
    interface Probe {
      status: number;
      code: string | undefined;
    }
    interface Case {
      owner: Role;
      /** Who demotes the owner, and to what: the highest role that may no longer grant the scope. */
      demoter: Role;
      demotedTo: Role;
      /** Calls an operation that needs the scope, with the key. */
      call: (key: string, owner: string) => Promise<Probe>;
      graphql?: true;
    }

    const graphqlProbe = (query: string) => async (key: string): Promise<Probe> => {
      const result = await gql(api.url, query, undefined, key);
      return { status: result.status, code: errorCode(result) };
    };
    const restProbe = async (response: Response, code: (body: { error?: { code?: string } }) => string | undefined): Promise<Probe> => ({
      status: response.status,
      code: code((await response.json()) as { error?: { code?: string } }),
    });

    // Typed by every scope: a new scope does not compile until it has a row here.
    const CASES: Record<ApiKeyScope, Case> = {
      'ai.use': {
        owner: 'USER',
        demoter: 'ADMIN',
        demotedTo: 'GUEST',
        // The OpenAI-compatible endpoint answers in OpenAI's error format: the code is its type.
        call: async (key) =>
          restProbe(await fetch(`${api.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }), (body) =>
            body.error ? 'FORBIDDEN' : undefined,
          ),
      },
      'credits.read': { owner: 'USER', demoter: 'ADMIN', demotedTo: 'GUEST', call: graphqlProbe('{ creditBalance { balance } }'), graphql: true },
      // No operation needs media.create yet: a suspended key is refused everywhere, `me` included.
      'media.create': { owner: 'USER', demoter: 'ADMIN', demotedTo: 'GUEST', call: graphqlProbe(ME), graphql: true },
      'partner.credits': {
        owner: 'ADMIN',
        demoter: 'SUPER_ADMIN',
        demotedTo: 'USER',
        call: async (key, owner) => {
          const response = await partner(api, 'deduct', { service: 'probe', cost: 1 }, { bearer: key, userId: owner });
          return { status: response.status, code: response.body.error?.code };
        },
      },
      'webhooks.manage': { owner: 'USER', demoter: 'ADMIN', demotedTo: 'GUEST', call: graphqlProbe('{ webhookEndpoints { id } }'), graphql: true },
    };

    const createKey = async (accessToken: string, scope: string) =>
      dataOf(
        await gql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
          api.url,
          'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }',
          { input: { name: `key-${scope}`, scopes: [scope] } },
          accessToken,
        ),
      ).createApiKey;
    const assignRole = (accessToken: string, userId: string, role: Role) =>
      gql(api.url, 'mutation ($input: AssignRoleInput!) { assignRole(input: $input) { roles } }', { input: { userId, role } }, accessToken);
    const auditEntries = (action: string, targetId: string) =>
      api.app.get(DataSource).query(`SELECT actor_id, details FROM identity_audit_log WHERE action = $1 AND target_id = $2`, [action, targetId]) as Promise<
        { actor_id: string; details: Record<string, unknown> }[]
      >;

    it.each(API_KEY_SCOPES.map((scope) => [scope, CASES[scope]] as const))(
      '%s: works, then after the owner is demoted is suspended (audited) and refused with 403',
      async (scope, { owner, demoter, demotedTo, call, graphql }) => {
        const holder = await createSignedInUser(api, owner);
        await fund(api, holder.userId, 10);
        const key = await createKey(holder.accessToken, scope);
        expect(await call(key.secret, holder.userId)).toMatchObject({ status: 200 });

        const admin = await createSignedInUser(api, demoter);
        expect(dataOf(await assignRole(admin.accessToken, holder.userId, demotedTo))).toEqual({ assignRole: { roles: [demotedTo] } });

        // REST: 403 with the error body; GraphQL: FORBIDDEN in extensions.code (HTTP 200, as every GraphQL error here).
        expect(await call(key.secret, holder.userId)).toEqual({ status: graphql ? 200 : 403, code: 'FORBIDDEN' });
        expect(await auditEntries('api_key.suspended', key.apiKey.id)).toEqual([
          { actor_id: admin.userId, details: { ownerId: holder.userId, role: demotedTo, scopes: [scope] } },
        ]);
      },
    );

    it('re-checks on every use, even when the role changed without a suspension', async () => {
      const holder = await createSignedInUser(api, 'ADMIN');
      const key = await createKey(holder.accessToken, 'partner.credits');
      await fund(api, holder.userId, 10);
      expect((await partner(api, 'deduct', { service: 'probe', cost: 1 }, { bearer: key.secret, userId: holder.userId })).status).toBe(200);

      // As if changed by a path that forgot the keys (a migration, a console query): only the role moves.
      await api.app.get(DataSource).query(`UPDATE identity_user SET role = 'USER' WHERE id = $1`, [holder.userId]);
      await api.app.get(AuthStateCache).invalidate(holder.userId);

      const refused = await partner(api, 'deduct', { service: 'probe', cost: 1 }, { bearer: key.secret, userId: holder.userId });
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    });

    it('keeps keys whose scopes the new role still allows, and refuses granting what the role may not', async () => {
      const holder = await createSignedInUser(api, 'ADMIN');
      const key = await createKey(holder.accessToken, 'ai.use');
      const superAdmin = await createSignedInUser(api, 'SUPER_ADMIN');
      dataOf(await assignRole(superAdmin.accessToken, holder.userId, 'MANAGER'));
      expect((await fetch(`${api.url}/v1/models`, { headers: { authorization: `Bearer ${key.secret}` } })).status).toBe(200);
      expect(await auditEntries('api_key.suspended', key.apiKey.id)).toEqual([]);

      const guest = await createSignedInUser(api, 'GUEST');
      const refused = await gql(api.url, 'mutation { createApiKey(input: { name: "g", scopes: ["ai.use"] }) { secret } }', undefined, guest.accessToken);
      expect(errorCode(refused)).toBe('FORBIDDEN');
    });
  });

  describe('16.6: register does not tell whether an address has an account', () => {
    const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { email roles emailVerified } }';
    const register = (email: string, password = 'An0ther-Passphrase') => gql(api.url, REGISTER, { input: { email, password, name: 'Mallory' } });

    it('answers a taken address exactly like a new one, mails its owner instead, and changes nothing', async () => {
      const owner = await createUser(api);
      const taken = owner.email.value.toUpperCase();
      const fresh = uniqueEmail('fresh').toUpperCase();

      const [forTaken, forFresh] = [await register(taken), await register(fresh)];
      expect(forTaken).toEqual({ status: 200, data: { register: { email: taken, roles: ['USER'], emailVerified: false } } });
      expect(forFresh).toEqual({ status: 200, data: { register: { email: fresh, roles: ['USER'], emailVerified: false } } });

      await smtp.waitFor(owner.email.value, /Someone tried to sign up with your address/);
      await smtp.waitFor(fresh, /verification code/);
      // The owner's password and account are untouched; the caller's password opens nothing.
      await expect(signIn(api, owner.email.value)).resolves.toMatchObject({ userId: owner.id });
      await expect(signIn(api, owner.email.value, 'An0ther-Passphrase')).rejects.toThrow(/UNAUTHENTICATED/);
    });
  });
});
