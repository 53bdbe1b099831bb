import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, PASSWORD, signIn } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const ME = '{ me { id } }';
const REFRESH = 'mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }';
const LOGOUT = 'mutation { logout }';

/** Issue 16: identity and authorization findings of the outside probe, one describe per finding. */
describe('security: identity and authorization', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

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
});
