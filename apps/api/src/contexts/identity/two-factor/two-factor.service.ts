import { Injectable } from '@nestjs/common';
import {
  DomainError,
  mustEnrolTwoFactor,
  normalizeRecoveryCode,
  outranks,
  parseTotpCode,
  RECOVERY_CODE_COUNT,
  TwoFactor,
  TwoFactorRepository,
  User,
} from '@sah/domain';
import { Totp, toBase32, UserPersonalDataCodec } from '@sah/infrastructure';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../application/audit-log.service';
import { FIFTEEN_MINUTES_MS, IdentityStores } from '../application/identity-stores';
import { PasswordHasher } from '../application/password-hasher';
import { sha256 } from '../application/secrets';
import { SessionTokens } from '../application/session-tokens.service';
import { VerifiedSessions } from '../sessions/verified-sessions.service';

/** The same budget as wrong passwords, on the same counter: five wrong codes lock the account. */
const MAX_FAILURES_PER_ACCOUNT = 5;
const ISSUER = 'Smart AI Hub';

export interface Enrolment {
  secret: string;
  otpauthUri: string;
}

/** Enrolment, use and removal of TOTP second factors and their recovery codes. */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly factors: TwoFactorRepository,
    private readonly stores: IdentityStores,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionTokens,
    private readonly verifiedSessions: VerifiedSessions,
    private readonly personalData: UserPersonalDataCodec,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    return (await this.factors.find(userId))?.enabled ?? false;
  }

  /** A fresh secret for the authenticator app; replaces an unconfirmed one, never an enabled one. */
  async enrol(user: User): Promise<Enrolment> {
    if (await this.isEnabled(user.id))
      throw new DomainError('CONFLICT', 'Two-factor authentication is already on: turn it off first');
    const factor = TwoFactor.start({ userId: user.id, secret: Totp.newSecret(), now: new Date() });
    await this.factors.savePending(factor);
    return { secret: factor.secret, otpauthUri: Totp.uri(factor.secret, ISSUER, user.email.value) };
  }

  /** The first code from the app switches the factor on; returns the recovery codes, shown this once. */
  async confirm(user: User, code: string): Promise<string[]> {
    const factor = await this.factors.find(user.id);
    if (!factor) throw new DomainError('CONFLICT', 'Start two-factor enrolment first');
    if (factor.enabled) throw new DomainError('CONFLICT', 'Two-factor authentication is already on');
    await this.assertNotLocked(user);
    await wrongCodeAsInput(this.acceptTotp(user, factor, code, (step) => factor.confirm(step, new Date())));
    const codes = await this.newRecoveryCodes(user.id);
    await this.audit.record(user.id, 'user.two_factor_enabled', { targetType: 'user', targetId: user.id });
    return codes;
  }

  /**
   * Checks a second factor at sign-in or before a sensitive change: a TOTP code (once per time step)
   * or an unused recovery code (once ever). Wrong codes count towards the account's lock-out.
   */
  async verify(user: User, code: string): Promise<'totp' | 'recovery_code'> {
    await this.assertNotLocked(user);
    const factor = await this.factors.find(user.id);
    if (!factor?.enabled)
      throw new DomainError('CONFLICT', 'Two-factor authentication is not on for this account');
    if (parseTotpCode(code) !== null) {
      await this.acceptTotp(user, factor, code, (step) => factor.accept(step));
      return 'totp';
    }
    if (!(await this.factors.useRecoveryCode(user.id, sha256(normalizeRecoveryCode(code)))))
      await this.refuse(user);
    await this.stores.loginFailuresByAccount.reset(this.lockoutKey(user));
    await this.audit.record(user.id, 'user.recovery_code_used', {
      targetType: 'user',
      targetId: user.id,
      details: { remaining: await this.factors.unusedRecoveryCodes(user.id) },
    });
    return 'recovery_code';
  }

  /**
   * The owner turns the factor off, proving it once more with a code or the account's password (a
   * wrong one counts towards the lock-out); refused where policy requires a factor. Every other
   * session ends, as on a password change: one stolen before must not outlive the owner's change.
   */
  async disable(user: User, proof: { code?: string; password?: string }, keepSessionId: string | undefined): Promise<void> {
    if (mustEnrolTwoFactor(user.role, this.config.identity.mfaRequiredForAdmins)) {
      throw new DomainError('FORBIDDEN', 'Your role must keep two-factor authentication on');
    }
    if (proof.code) {
      await wrongCodeAsInput(this.verify(user, proof.code));
    } else if (proof.password) {
      await this.assertNotLocked(user);
      if (!(await this.factors.find(user.id))?.enabled)
        throw new DomainError('CONFLICT', 'Two-factor authentication is not on for this account');
      if (!(await this.hasher.verify(proof.password, user.passwordHash)))
        await wrongCodeAsInput(this.refuse(user, 'Wrong password'));
      await this.stores.loginFailuresByAccount.reset(this.lockoutKey(user));
    } else {
      throw DomainError.badInput('Give a current code or your password');
    }
    await this.factors.remove(user.id);
    await this.endSessions(user.id, keepSessionId);
    await this.audit.record(user.id, 'user.two_factor_disabled', {
      targetType: 'user',
      targetId: user.id,
      details: { sessionsEnded: 'others' },
    });
  }

  /**
   * The signed-in owner proves it is them before an irreversible change (deleting the account): a
   * current or recovery code where a second factor is on, else the password. Wrong ones count
   * towards the lock-out and answer BAD_USER_INPUT.
   */
  async proveOwner(user: User, proof: { code?: string; password?: string }): Promise<void> {
    const enabled = await this.isEnabled(user.id);
    if (proof.code && enabled) return void (await wrongCodeAsInput(this.verify(user, proof.code)));
    if (proof.password && user.passwordHash) {
      await this.assertNotLocked(user);
      if (!(await this.hasher.verify(proof.password, user.passwordHash)))
        await wrongCodeAsInput(this.refuse(user, 'Wrong password'));
      await this.stores.loginFailuresByAccount.reset(this.lockoutKey(user));
      return;
    }
    if (enabled) throw DomainError.badInput('Confirm with a code from your authenticator app or a recovery code', { field: 'code' });
    if (user.passwordHash) throw DomainError.badInput('Confirm with your password', { field: 'password' });
    throw DomainError.badInput(
      'This account has no password: turn on two-factor authentication, then confirm with a code',
      { reason: 'no_confirmation_method' },
    );
  }

  /**
   * An administrator removes someone's factor (a lost phone): they sign in with the password alone, or
   * enrol again. Every session of theirs ends, the lost phone's included.
   */
  async reset(principal: Principal, user: User): Promise<void> {
    if (principal.userId === user.id)
      throw new DomainError('FORBIDDEN', 'Turn off your own two-factor authentication from your account');
    if (!outranks(principal.role, user.role))
      throw new DomainError('FORBIDDEN', 'You can only manage users below your own role');
    const removed = await this.factors.remove(user.id);
    await this.endSessions(user.id);
    await this.audit.record(principal.userId, 'user.two_factor_reset', {
      targetType: 'user',
      targetId: user.id,
      details: { hadFactor: removed, sessionsEnded: 'all' },
    });
  }

  /** Refresh and access tokens alike (the latter at once), and the VERIFIED codes tools hold. */
  private async endSessions(userId: string, keepSessionId?: string): Promise<void> {
    await this.sessions.endAllSessions(userId, keepSessionId);
    await this.verifiedSessions.revokeAllForUser(userId);
  }

  private async acceptTotp(
    user: User,
    factor: TwoFactor,
    code: string,
    accept: (step: number) => void,
  ): Promise<void> {
    const digits = parseTotpCode(code);
    const step = digits === null ? null : Totp.verify(factor.secret, digits);
    if (step === null) return this.refuse(user);
    const previousStep = factor.lastUsedStep;
    try {
      accept(step);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'UNAUTHENTICATED')
        return this.refuse(user, error.message);
      throw error;
    }
    if (!(await this.factors.recordAccepted(factor, previousStep)))
      return this.refuse(user, 'This code was already used: wait for the next one');
    await this.stores.loginFailuresByAccount.reset(this.lockoutKey(user));
  }

  private async newRecoveryCodes(userId: string): Promise<string[]> {
    // 80 random bits each, so a plain SHA-256 at rest is enough (no guessing them from the hash).
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
      toBase32(randomBytes(10))
        .toLowerCase()
        .replace(/(.{4})(?=.)/g, '$1-'),
    );
    await this.factors.replaceRecoveryCodes(
      userId,
      codes.map((code) => sha256(normalizeRecoveryCode(code))),
    );
    return codes;
  }

  private async assertNotLocked(user: User): Promise<void> {
    const counter = this.stores.loginFailuresByAccount;
    if ((await counter.count(this.lockoutKey(user))) >= MAX_FAILURES_PER_ACCOUNT)
      throw await this.locked(user);
  }

  private async refuse(user: User, message = 'Wrong two-factor code'): Promise<never> {
    const counter = this.stores.loginFailuresByAccount;
    const failures = await counter.increment(this.lockoutKey(user));
    await this.audit.record(user.id, 'user.two_factor_failed', { targetType: 'user', targetId: user.id });
    if (failures >= MAX_FAILURES_PER_ACCOUNT) {
      await counter.extend(this.lockoutKey(user), FIFTEEN_MINUTES_MS);
      throw await this.locked(user);
    }
    throw new DomainError('UNAUTHENTICATED', message, {
      attempts_remaining: MAX_FAILURES_PER_ACCOUNT - failures,
    });
  }

  /** The password sign-in's lock-out counter of the account (keyed by the address's hash, as SignInService keys it). */
  private lockoutKey(user: User): string {
    return this.personalData.redisKey(user.email.normalized);
  }

  private async locked(user: User): Promise<DomainError> {
    const waitMs = await this.stores.loginFailuresByAccount.remainingMs(this.lockoutKey(user));
    return new DomainError('ACCOUNT_LOCKED', 'Too many failed sign-ins: try again later', {
      retry_after_seconds: Math.ceil(waitMs / 1000),
    });
  }
}

/**
 * Enrolling or turning off, the caller is signed in (or holds an enrolment challenge): a wrong code or
 * password there is bad input, not a lost session (the console signs out on UNAUTHENTICATED).
 */
async function wrongCodeAsInput<T>(check: Promise<T>): Promise<T> {
  try {
    return await check;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'UNAUTHENTICATED')
      throw DomainError.badInput(error.message, error.details);
    throw error;
  }
}
