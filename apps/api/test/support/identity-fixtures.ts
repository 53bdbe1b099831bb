import { EmailAddress, Role, User, UserRepository } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { PasswordHasher } from '../../src/contexts/identity/application/password-hasher';
import { gql } from './graphql-client';
import type { TestApp } from './test-app';

export const PASSWORD = 'Str0ng-Passphrase';

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** A verified user with the given role, written through the real repository (no e-mail round trip). */
export async function createUser(api: TestApp, role: Role = 'USER', email = uniqueEmail(role.toLowerCase())): Promise<User> {
  const hasher = api.app.get(PasswordHasher);
  const users = api.app.get(UserRepository);
  const user = User.restore({
    id: randomUUID(),
    email: EmailAddress.parse(email),
    name: `${role} tester`,
    passwordHash: await hasher.hash(PASSWORD),
    role,
    status: 'active',
    emailVerifiedAt: new Date(),
    googleId: null,
    createdAt: new Date(),
    deletionRequestedAt: null,
  });
  await users.save(user, []);
  return user;
}

export interface Session {
  userId: string;
  accessToken: string;
  refreshToken: string;
}

export async function signIn(api: TestApp, email: string, password = PASSWORD): Promise<Session> {
  const result = await gql<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    api.url,
    'mutation ($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }',
    { input: { email, password } },
  );
  if (!result.data) throw new Error(`sign-in failed: ${JSON.stringify(result.errors)}`);
  return { userId: result.data.login.user.id, accessToken: result.data.login.accessToken, refreshToken: result.data.login.refreshToken };
}

export async function createSignedInUser(api: TestApp, role: Role = 'USER'): Promise<Session & { email: string }> {
  const user = await createUser(api, role);
  return { ...(await signIn(api, user.email.value)), email: user.email.value };
}
