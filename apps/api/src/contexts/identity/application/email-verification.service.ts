import { Injectable } from '@nestjs/common';
import { DomainError, EmailAddress, User, UserRepository } from '@sah/domain';
import { UserPersonalDataCodec } from '@sah/infrastructure';
import { AuditLog } from './audit-log.service';
import { FIFTEEN_MINUTES_MS, IdentityStores } from './identity-stores';
import { sameDigest, sha256, sixDigitCode } from './secrets';

const MAX_ATTEMPTS = 5;
const RESEND_COOLDOWN_MS = 60_000;

/** 6-digit e-mail codes: hashed in Redis for 15 minutes, 5 attempts per 15 minutes, resend every 60 s. */
@Injectable()
export class EmailVerification {
  constructor(
    private readonly stores: IdentityStores,
    private readonly users: UserRepository,
    private readonly audit: AuditLog,
    private readonly personalData: UserPersonalDataCodec,
  ) {}

  /**
   * A new code, replacing any earlier one. Called when its mail is sent, not when it is asked for,
   * so a mail that waited in the queue still brings 15 valid minutes.
   */
  async issueCode(user: User): Promise<string> {
    const code = sixDigitCode();
    await this.stores.verificationCodes.put(user.id, sha256(code), FIFTEEN_MINUTES_MS);
    return code;
  }

  /** Marks the user verified, or throws BAD_USER_INPUT / TOO_MANY_ATTEMPTS. */
  async verify(email: string, code: string): Promise<User> {
    const user = await this.users.findByEmail(EmailAddress.parse(email).normalized);
    const invalid = (remaining: number) =>
      DomainError.badInput('The code is wrong or has expired', { attempts_remaining: remaining });
    // A verified account has no code left to check: answering with it would sign anyone in by address.
    if (!user || user.emailVerified) throw invalid(0);

    const attempts = await this.stores.verificationAttempts.increment(user.id);
    if (attempts > MAX_ATTEMPTS) {
      const retryAfter = Math.ceil((await this.stores.verificationAttempts.remainingMs(user.id)) / 1000);
      throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many wrong codes: wait before trying again', { retry_after_seconds: retryAfter });
    }
    const stored = await this.stores.verificationCodes.get(user.id);
    if (!stored || !/^\d{6}$/.test(code) || !sameDigest(sha256(code), stored)) throw invalid(MAX_ATTEMPTS - attempts);

    await this.stores.verificationCodes.delete(user.id);
    await this.stores.verificationAttempts.reset(user.id);
    user.verifyEmail(new Date());
    await this.users.save(user, user.pullEvents());
    await this.audit.record(user.id, 'user.email_verified', { targetType: 'user', targetId: user.id });
    return user;
  }

  /** Answers the same whether or not the address exists, so it cannot be used to find accounts. */
  async resend(email: string): Promise<void> {
    const address = EmailAddress.parse(email);
    if (!(await this.stores.cooldowns.claim(`verification:${this.personalData.redisKey(address.normalized)}`, RESEND_COOLDOWN_MS))) {
      throw new DomainError('RATE_LIMITED', 'Wait a minute before asking for another code', { retry_after_seconds: 60 });
    }
    const user = await this.users.findByEmail(address.normalized);
    if (user && !user.emailVerified) {
      await this.users.recordEvents([{ type: 'identity.verification_code_requested', userId: user.id, occurredAt: new Date() }]);
    }
  }
}
