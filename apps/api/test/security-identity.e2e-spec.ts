import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const ME = '{ me { id } }';

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
      const token = await sign({ sub: user.userId, jti: randomUUID() }, { expiresIn: 60 });
      expect((await me(token)).data).toEqual({ me: { id: user.userId } });
    });

    it.each([
      ['without exp', {}, {}],
      ['without iat', {}, { expiresIn: 60, noTimestamp: true }],
      ['without jti', { jti: undefined }, { expiresIn: 60 }],
      ['living longer than any token we issue', {}, { expiresIn: 365 * 86_400 }],
      ['issued far in the past', { iat: Math.floor(Date.now() / 1000) - 2 * 86_400 }, { expiresIn: 3 * 86_400 }],
      ['from another issuer', {}, { expiresIn: 60, issuer: 'https://elsewhere.example' }],
      ['for another audience', {}, { expiresIn: 60, audience: 'another-app' }],
      ['signed with HS512', {}, { expiresIn: 60, algorithm: 'HS512' }],
    ])('refuses a token %s, even signed with the real secret', async (_case, claims, options) => {
      const user = await createSignedInUser(api);
      const token = await sign({ sub: user.userId, jti: randomUUID(), ...claims }, options);
      expect(errorCode(await me(token))).toBe('UNAUTHENTICATED');
    });

    it('refuses an unsigned token (alg none)', async () => {
      const user = await createSignedInUser(api);
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const { jwtIssuer, jwtAudience } = api.config.identity;
      const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: user.userId, jti: randomUUID(), iat: now, exp: now + 60, iss: jwtIssuer, aud: jwtAudience })}.`;
      expect(errorCode(await me(token))).toBe('UNAUTHENTICATED');
    });
  });
});
