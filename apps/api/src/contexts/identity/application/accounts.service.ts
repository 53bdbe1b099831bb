import { Injectable } from '@nestjs/common';
import { assertStrongPassword, DomainError, EmailAddress, User, UserRepository } from '@sah/domain';
import { UserPersonalDataCodec } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { VerifiedSessions } from '../sessions/verified-sessions.service';
import { AuditLog } from './audit-log.service';
import { IdentityStores } from './identity-stores';
import { PasswordHasher } from './password-hasher';
import { randomToken, sha256 } from './secrets';
import { SessionTokens } from './session-tokens.service';

const RESET_TTL_MS = 60 * 60_000;
const RESET_COOLDOWN_MS = 60_000;
const SIGN_UP_ATTEMPT_MAIL_COOLDOWN_MS = 15 * 60_000;

/** Registration and password reset. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionTokens,
    private readonly stores: IdentityStores,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly verifiedSessions: VerifiedSessions,
    private readonly personalData: UserPersonalDataCodec,
  ) {}

  /**
   * Answers the same whether or not the address has an account, after the same bcrypt work: a new
   * address gets an unverified account and a code, a taken one only a mail to its owner. The answer
   * for a taken address describes an account that was never stored.
   */
  async register(input: { email: string; password: string; name: string }): Promise<User> {
    const email = EmailAddress.parse(input.email);
    assertStrongPassword(input.password);
    const user = User.register({
      id: randomUUID(),
      email,
      name: input.name,
      passwordHash: await this.hasher.hash(input.password),
      now: new Date(),
    });
    const existing = await this.users.findByEmail(email.normalized);
    if (existing) {
      await this.tellOwnerOfSignUpAttempt(existing);
      return user;
    }
    try {
      await this.users.save(user, user.pullEvents());
    } catch (error) {
      // Registered a moment ago by a concurrent request: the same answer as any taken address.
      const raced = error instanceof DomainError && error.code === 'CONFLICT' ? await this.users.findByEmail(email.normalized) : null;
      if (!raced) throw error;
      await this.tellOwnerOfSignUpAttempt(raced);
      return user;
    }
    // The verification mail follows from identity.user_registered, stored with the user (IdentityMails).
    await this.audit.record(user.id, 'user.registered', { targetType: 'user', targetId: user.id });
    return user;
  }

  /** At most one such mail per address per cooldown, so sign-up attempts cannot flood an inbox. */
  private async tellOwnerOfSignUpAttempt(owner: User): Promise<void> {
    await this.audit.record(null, 'user.sign_up_attempted', { targetType: 'user', targetId: owner.id });
    if (!(await this.stores.cooldowns.claim(`sign-up-attempt:${this.personalData.redisKey(owner.email.normalized)}`, SIGN_UP_ATTEMPT_MAIL_COOLDOWN_MS))) return;
    await this.users.recordEvents([{ type: 'identity.sign_up_attempted', userId: owner.id, occurredAt: new Date() }]);
  }

  /** Creates the configured super admin once, if that e-mail is not taken yet. */
  async ensureBootstrapAdmin(): Promise<void> {
    const admin = this.config.identity.bootstrapAdmin;
    if (!admin) return;
    const email = EmailAddress.parse(admin.email);
    if (await this.users.findByEmail(email.normalized)) return;
    assertStrongPassword(admin.password);
    const user = User.createSuperAdmin({
      id: randomUUID(),
      email,
      name: 'Administrator',
      passwordHash: await this.hasher.hash(admin.password),
      now: new Date(),
    });
    await this.users.save(user, user.pullEvents());
    await this.audit.record(null, 'user.bootstrap_admin_created', { targetType: 'user', targetId: user.id });
  }

  /** Answers the same whether or not the address exists. */
  async requestPasswordReset(emailInput: string): Promise<void> {
    const email = EmailAddress.parse(emailInput);
    if (!(await this.stores.cooldowns.claim(`reset:${this.personalData.redisKey(email.normalized)}`, RESET_COOLDOWN_MS))) return;
    const user = await this.users.findByEmail(email.normalized);
    if (!user) return;
    // The link is made when the mail is sent (IdentityMails), so it is valid for its full hour then.
    await this.users.recordEvents([{ type: 'identity.password_reset_requested', userId: user.id, occurredAt: new Date() }]);
    await this.audit.record(user.id, 'user.password_reset_requested', { targetType: 'user', targetId: user.id });
  }

  /** A single-use reset link valid for an hour. Called when its mail is sent, not when it is asked for. */
  async issueResetLink(user: User): Promise<string> {
    const token = randomToken(32);
    await this.stores.passwordResets.put(sha256(token), user.id, RESET_TTL_MS);
    return `${this.config.http.appUrl}/admin/reset-password?token=${encodeURIComponent(token)}`;
  }

  /**
   * For a signed-in user who knows the current password. Every other session ends at once, refresh
   * and access tokens alike, and so do the VERIFIED codes tools hold; the caller's session stays.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const userId = principal.userId;
    const user = await this.users.findById(userId);
    if (!user) throw DomainError.notFound('User', { id: userId });
    if (!user.passwordHash) {
      throw DomainError.badInput('This account signs in with Google and has no password yet: use password reset to set one');
    }
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      await this.audit.record(user.id, 'user.password_change_failed', { targetType: 'user', targetId: user.id });
      // The caller is signed in: a wrong current password is bad input, not a lost session.
      throw DomainError.badInput('The current password is wrong', { field: 'currentPassword' });
    }
    assertStrongPassword(newPassword);
    user.setPasswordHash(await this.hasher.hash(newPassword), new Date());
    await this.users.save(user, user.pullEvents());
    await this.sessions.endAllSessions(user.id, principal.sessionId);
    await this.verifiedSessions.revokeAllForUser(user.id);
    await this.audit.record(user.id, 'user.password_changed', { targetType: 'user', targetId: user.id });
  }

  async resetPassword(token: string, newPassword: string): Promise<void> {
    assertStrongPassword(newPassword);
    const userId = await this.stores.passwordResets.take(sha256(token));
    const user = userId ? await this.users.findById(userId) : null;
    if (!user) throw DomainError.badInput('This reset link is invalid, used or expired', { field: 'token' });
    user.setPasswordHash(await this.hasher.hash(newPassword), new Date());
    await this.users.save(user, user.pullEvents());
    await this.sessions.endAllSessions(user.id);
    await this.verifiedSessions.revokeAllForUser(user.id);
    await this.audit.record(user.id, 'user.password_reset', { targetType: 'user', targetId: user.id });
  }
}
