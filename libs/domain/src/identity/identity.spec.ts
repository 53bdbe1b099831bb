import { DomainError } from '../shared/domain-error';
import { EmailAddress } from './email-address';
import { assertStrongPassword } from './password-policy';
import { can, ROLE_PERMISSIONS } from './permission';
import { outranks, ROLES } from './role';
import { User } from './user';

const now = new Date('2030-01-01T00:00:00Z');
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
};

describe('EmailAddress', () => {
  it('keeps the typed form and normalises case for uniqueness', () => {
    const email = EmailAddress.parse('  Ada.Lovelace+hub@Example.COM ');
    expect(email.value).toBe('Ada.Lovelace+hub@Example.COM');
    expect(email.normalized).toBe('ada.lovelace+hub@example.com');
  });

  it.each(['plain', 'a@b', 'a..b@example.com', '.a@example.com', 'a@-example.com', 'a b@example.com', `${'x'.repeat(65)}@example.com`])(
    'refuses %j',
    (input) => expect(codeOf(() => EmailAddress.parse(input))).toBe('BAD_USER_INPUT'),
  );
});

describe('assertStrongPassword', () => {
  it('accepts a long, mixed password', () => expect(() => assertStrongPassword('Correct7Horse')).not.toThrow());

  it('names every broken rule', () => {
    try {
      assertStrongPassword('short');
      throw new Error('accepted');
    } catch (error) {
      expect((error as DomainError).code).toBe('WEAK_PASSWORD');
      expect((error as DomainError).details?.problems).toEqual(['at least 8 characters', 'an upper-case letter', 'a digit']);
    }
  });

  it.each(['Password1', 'QWERTY123', 'Welcome123'])('refuses the common %j', (password) =>
    expect(codeOf(() => assertStrongPassword(password))).toBe('WEAK_PASSWORD'),
  );

  it('refuses more than 128 characters', () => expect(codeOf(() => assertStrongPassword(`A1${'x'.repeat(127)}`))).toBe('WEAK_PASSWORD'));
});

describe('roles and permissions', () => {
  it('orders the roles strictly', () => {
    for (let i = 0; i < ROLES.length; i++) {
      for (let j = 0; j < ROLES.length; j++) expect(outranks(ROLES[i], ROLES[j])).toBe(i < j);
    }
  });

  it('gives each role everything the role below has', () => {
    for (let i = 0; i < ROLES.length - 1; i++) {
      for (const permission of ROLE_PERMISSIONS[ROLES[i + 1]]) expect(can(ROLES[i], permission)).toBe(true);
    }
  });

  it('keeps system configuration for super admins and user management for admins', () => {
    expect(can('SUPER_ADMIN', 'system:configure')).toBe(true);
    expect(can('ADMIN', 'system:configure')).toBe(false);
    expect(can('ADMIN', 'users:manage')).toBe(true);
    expect(can('MANAGER', 'users:manage')).toBe(false);
    expect(can('GUEST', 'dashboard:view')).toBe(false);
    expect(can('GUEST', 'ai:use')).toBe(true);
  });
});

describe('User', () => {
  const register = () =>
    User.register({ id: 'u1', email: EmailAddress.parse('ada@example.com'), name: '  Ada   Lovelace ', passwordHash: 'h', now });

  it('registers as an unverified USER and records the event', () => {
    const user = register();
    expect(user.role).toBe('USER');
    expect(user.name).toBe('Ada Lovelace');
    expect(user.emailVerified).toBe(false);
    expect(user.pullEvents()).toEqual([{ type: 'identity.user_registered', userId: 'u1', occurredAt: now }]);
    expect(user.pullEvents()).toEqual([]);
  });

  it('may sign in only once verified and while active', () => {
    const user = register();
    expect(codeOf(() => user.assertMaySignIn())).toBe('EMAIL_NOT_VERIFIED');
    user.verifyEmail(now);
    expect(codeOf(() => user.assertMaySignIn())).toBeUndefined();
    user.suspend({ id: 'admin', role: 'ADMIN' }, now);
    expect(codeOf(() => user.assertMaySignIn())).toBe('ACCOUNT_SUSPENDED');
  });

  it('stops acting once its deletion is asked for, may still sign in to cancel it, and records both once', () => {
    const user = register();
    user.verifyEmail(now);
    user.pullEvents();
    expect(user.mayAct).toBe(true);
    const later = new Date(now.getTime() + 30 * 86_400_000);
    user.requestDeletion(now, later);
    user.requestDeletion(new Date(now.getTime() + 1000), later);
    expect(user.mayAct).toBe(false);
    expect(user.deletionRequestedAt).toEqual(now);
    expect(codeOf(() => user.assertMaySignIn())).toBeUndefined();
    expect(user.cancelDeletion(now)).toBe(true);
    expect(user.cancelDeletion(now)).toBe(false);
    expect(user.mayAct).toBe(true);
    expect(user.pullEvents()).toEqual([
      { type: 'identity.account_deletion_requested', userId: 'u1', deleteAfter: later.toISOString(), occurredAt: now },
      { type: 'identity.account_deletion_cancelled', userId: 'u1', occurredAt: now },
    ]);
  });

  it('records verification once', () => {
    const user = register();
    user.pullEvents();
    user.verifyEmail(now);
    user.verifyEmail(now);
    expect(user.pullEvents().map((e) => e.type)).toEqual(['identity.email_verified']);
  });

  it('takes a role only below the actor’s own, from an actor who outranks the user', () => {
    const user = register();
    expect(codeOf(() => user.changeRole('ADMIN', { id: 'a', role: 'ADMIN' }, now))).toBe('FORBIDDEN');
    expect(codeOf(() => user.changeRole('MANAGER', { id: 'm', role: 'MANAGER' }, now))).toBe('FORBIDDEN');
    expect(codeOf(() => user.changeRole('MANAGER', { id: 'u1', role: 'SUPER_ADMIN' }, now))).toBe('FORBIDDEN');
    user.pullEvents();
    user.changeRole('MANAGER', { id: 'a', role: 'ADMIN' }, now);
    expect(user.role).toBe('MANAGER');
    expect(user.pullEvents()).toEqual([
      { type: 'identity.role_changed', userId: 'u1', from: 'USER', to: 'MANAGER', actorId: 'a', occurredAt: now },
    ]);
    // Now a peer of a manager: another manager may not touch them.
    expect(codeOf(() => user.suspend({ id: 'm', role: 'MANAGER' }, now))).toBe('FORBIDDEN');
  });

  describe('with Google', () => {
    const registerWithGoogle = (googleId = 'g-1') =>
      User.registerWithGoogle({ id: 'u2', email: EmailAddress.parse('grace@example.com'), name: ' Grace  Hopper ', googleId, now });

    it('registers a verified USER without a password and records the same events as an e-mail sign-up', () => {
      const user = registerWithGoogle();
      expect(user).toMatchObject({ role: 'USER', name: 'Grace Hopper', emailVerified: true, passwordHash: null, googleId: 'g-1' });
      expect(codeOf(() => user.assertMaySignIn())).toBeUndefined();
      expect(user.pullEvents()).toEqual([
        { type: 'identity.user_registered', userId: 'u2', occurredAt: now },
        { type: 'identity.email_verified', userId: 'u2', occurredAt: now },
      ]);
    });

    it('refuses a malformed Google id', () => {
      expect(codeOf(() => registerWithGoogle(''))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => registerWithGoogle('has space'))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => registerWithGoogle('x'.repeat(256)))).toBe('BAD_USER_INPUT');
    });

    it('links a verified account, keeping its password and recording nothing', () => {
      const user = register();
      user.verifyEmail(now);
      user.pullEvents();
      user.linkGoogle('g-1', now);
      user.linkGoogle('g-1', now);
      expect(user).toMatchObject({ googleId: 'g-1', passwordHash: 'h', emailVerified: true });
      expect(user.pullEvents()).toEqual([]);
    });

    it('verifies an unverified account it links and drops the password nobody proved', () => {
      const user = register();
      user.pullEvents();
      user.linkGoogle('g-1', now);
      expect(user).toMatchObject({ googleId: 'g-1', passwordHash: null, emailVerified: true });
      expect(user.pullEvents()).toEqual([{ type: 'identity.email_verified', userId: 'u1', occurredAt: now }]);
    });

    it('never moves an account to another Google account', () => {
      const user = registerWithGoogle('g-1');
      expect(codeOf(() => user.linkGoogle('g-2', now))).toBe('CONFLICT');
      expect(user.googleId).toBe('g-1');
    });
  });
});
