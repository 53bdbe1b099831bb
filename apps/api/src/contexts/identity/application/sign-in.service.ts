import { Injectable } from '@nestjs/common';
import { DomainError, EmailAddress, mustEnrolTwoFactor, User, UserRepository } from '@sah/domain';
import { UserPersonalDataCodec } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { RequestContext } from '../../../platform/http/request-context';
import { AccountDeletions } from '../account-deletion/account-deletions.service';
import { Challenge, IssuedChallenge, TwoFactorChallenges } from '../two-factor/two-factor-challenges';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { AuditLog } from './audit-log.service';
import { FIFTEEN_MINUTES_MS, IdentityStores } from './identity-stores';
import { PasswordHasher } from './password-hasher';
import { SessionTokens, TokenPair } from './session-tokens.service';

const MAX_FAILURES_PER_ACCOUNT = 5;
// Many people can share one address (an office, a NAT): the per-IP limit is looser.
const MAX_FAILURES_PER_IP = 20;

export interface SignedIn {
  user: User;
  tokens: TokenPair;
}

/** The first factor was right; no tokens until the second is presented (or enrolled, where required). */
export interface SecondFactorDue {
  user: User;
  challenge: IssuedChallenge;
}

export type SignInOutcome = SignedIn | SecondFactorDue;

/** Password sign-in with lock-out, token refresh with rotation, and sign-out. */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionTokens,
    private readonly stores: IdentityStores,
    private readonly audit: AuditLog,
    private readonly twoFactor: TwoFactorService,
    private readonly challenges: TwoFactorChallenges,
    private readonly config: AppConfig,
    private readonly deletions: AccountDeletions,
    private readonly personalData: UserPersonalDataCodec,
  ) {}

  async login(emailInput: string, password: string): Promise<SignInOutcome> {
    const email = EmailAddress.parse(emailInput).normalized;
    const account = this.personalData.redisKey(email);
    const ip = RequestContext.current()?.ip ?? 'unknown';
    const byAccount = this.stores.loginFailuresByAccount;
    const byIp = this.stores.loginFailuresByIp;

    if ((await byAccount.count(account)) >= MAX_FAILURES_PER_ACCOUNT || (await byIp.count(ip)) >= MAX_FAILURES_PER_IP) {
      throw await this.locked(account, ip);
    }
    const user = await this.users.findByEmail(email);
    if (!(await this.hasher.verify(password, user?.passwordHash ?? null)) || !user) {
      const failures = await byAccount.increment(account);
      await byIp.increment(ip);
      // An address no account has is not written down: it may be someone's mistyped address, or one
      // that registers later, whose erasure would not find it here. The IP still shows the pattern.
      await this.audit.record(user?.id ?? null, 'user.sign_in_failed', {});
      if (failures >= MAX_FAILURES_PER_ACCOUNT) {
        await byAccount.extend(account, FIFTEEN_MINUTES_MS);
        throw await this.locked(account, ip);
      }
      throw new DomainError('UNAUTHENTICATED', 'Wrong e-mail or password', { attempts_remaining: MAX_FAILURES_PER_ACCOUNT - failures });
    }
    user.assertMaySignIn();
    await byAccount.reset(account);
    return this.afterFirstFactor(user, 'password');
  }

  /**
   * Tokens for a user who proved the first factor, unless a second one is due: then a challenge to
   * present the code with (completeSecondFactor), or, where policy requires a factor the user lacks,
   * to enrol one first (confirmTwoFactor with the challenge).
   */
  async afterFirstFactor(user: User, method: string, options: { signInAudited?: boolean } = {}): Promise<SignInOutcome> {
    user.assertMaySignIn();
    const purpose = (await this.twoFactor.isEnabled(user.id))
      ? 'sign_in'
      : mustEnrolTwoFactor(user.role, this.config.identity.mfaRequiredForAdmins)
        ? 'enrol'
        : null;
    if (purpose) {
      await this.audit.record(user.id, 'user.second_factor_requested', { targetType: 'user', targetId: user.id, details: { method, purpose } });
      return { user, challenge: await this.challenges.issue({ userId: user.id, purpose, method }) };
    }
    if (!options.signInAudited) await this.audit.record(user.id, 'user.signed_in', { targetType: 'user', targetId: user.id });
    await this.deletions.cancelOnSignIn(user);
    return { user, tokens: await this.sessions.issue(user.id) };
  }

  /** The second step of a sign-in: the challenge and a TOTP or recovery code, for tokens. */
  async completeSecondFactor(challengeToken: string, code: string): Promise<SignedIn> {
    const { user } = await this.passSecondFactor(challengeToken, code);
    return { user, tokens: await this.sessions.issue(user.id) };
  }

  /** Checks and spends the challenge with its code; the caller decides what the sign-in yields. */
  async passSecondFactor(challengeToken: string, code: string): Promise<{ user: User; challenge: Challenge }> {
    const challenge = await this.challenges.read(challengeToken, 'sign_in');
    const user = await this.users.findById(challenge.userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists');
    user.assertMaySignIn();
    try {
      const factor = await this.twoFactor.verify(user, code);
      await this.challenges.spend(challengeToken);
      await this.audit.record(user.id, 'user.signed_in', { targetType: 'user', targetId: user.id, details: { method: challenge.method, secondFactor: factor } });
      await this.deletions.cancelOnSignIn(user);
    } catch (error) {
      // A locked account starts again from the password once the lock ends.
      if (error instanceof DomainError && error.code === 'ACCOUNT_LOCKED') await this.challenges.discard(challengeToken);
      throw error;
    }
    return { user, challenge };
  }

  /** Tokens for a user whose enrolment challenge just turned their new second factor on. */
  async completeEnrolment(user: User, method: string): Promise<SignedIn> {
    user.assertMaySignIn();
    await this.audit.record(user.id, 'user.signed_in', { targetType: 'user', targetId: user.id, details: { method, secondFactor: 'enrolled' } });
    await this.deletions.cancelOnSignIn(user);
    return { user, tokens: await this.sessions.issue(user.id) };
  }

  async refresh(refreshToken: string): Promise<SignedIn> {
    const { userId, tokens } = await this.sessions.rotate(refreshToken);
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Refresh token is invalid or expired');
    try {
      user.assertMaySignIn();
      // Sessions end when a deletion is asked for; only a new sign-in brings the account back.
      if (user.deletionRequestedAt) throw new DomainError('UNAUTHENTICATED', 'This account is being deleted: sign in to keep it');
    } catch (error) {
      await this.sessions.endSessionOf(tokens.refreshToken, userId);
      throw error;
    }
    return { user, tokens };
  }

  /** Ends the session the access token belongs to (and the one of `refreshToken`, if another). */
  async logout(principal: Principal, refreshToken: string | undefined): Promise<void> {
    if (refreshToken) await this.sessions.endSessionOf(refreshToken, principal.userId);
    if (principal.sessionId) await this.sessions.endSession(principal.userId, principal.sessionId);
    await this.audit.record(principal.userId, 'user.signed_out', { targetType: 'user', targetId: principal.userId });
  }

  private async locked(account: string, ip: string): Promise<DomainError> {
    const waitMs = Math.max(await this.stores.loginFailuresByAccount.remainingMs(account), await this.stores.loginFailuresByIp.remainingMs(ip));
    return new DomainError('ACCOUNT_LOCKED', 'Too many failed sign-ins: try again later', {
      retry_after_seconds: Math.ceil(waitMs / 1000),
    });
  }
}
